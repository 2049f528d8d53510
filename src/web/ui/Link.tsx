// An in-app link: a real <a href> (keyboard, middle-click, copy link all work) that
// navigates without a reload on a plain click.
import type { ComponentChildren } from 'preact';
import { onLinkClick } from '../app/navigation.js';

export function Link(props: {
  href: string;
  class?: string;
  children: ComponentChildren;
  'aria-label'?: string;
}) {
  return (
    <a href={props.href} class={props.class} aria-label={props['aria-label']} onClick={onLinkClick}>
      {props.children}
    </a>
  );
}
