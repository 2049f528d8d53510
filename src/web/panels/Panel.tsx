// A dashboard card: a title, tabs (real buttons, arrow keys not needed — Tab reaches each),
// and a body that loads on its own.
import type { ComponentChildren } from 'preact';

export interface PanelProps {
  id: string;
  title: string;
  tabs?: { key: string; label: string }[];
  active?: string;
  onTab?: (key: string) => void;
  children: ComponentChildren;
  class?: string;
}

export function Panel(props: PanelProps) {
  const headingId = `panel-${props.id}`;
  return (
    <section class={`panel ${props.class ?? ''}`} aria-labelledby={headingId} data-panel={props.id}>
      <header class="panel-head">
        <h2 id={headingId}>{props.title}</h2>
        {props.tabs && props.tabs.length > 1 && (
          <div class="tabs">
            {props.tabs.map((t) => (
              <button
                type="button"
                key={t.key}
                class="tab"
                aria-pressed={t.key === props.active}
                onClick={() => props.onTab?.(t.key)}
              >
                {t.label}
              </button>
            ))}
          </div>
        )}
      </header>
      <div class="panel-body">{props.children}</div>
    </section>
  );
}
