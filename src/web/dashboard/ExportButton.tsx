// "Export": the current view's panels as a zip of CSV files (export.ts), named after the site
// and the range.
import { useState } from 'preact/hooks';
import { useDash } from './context.js';
import { download, exportFiles, exportZip } from './export.js';

export function ExportButton() {
  const dash = useDash();
  const [state, setState] = useState<'idle' | 'busy' | 'failed'>('idle');
  const range = dash.scope.dateRange;
  const name = `${dash.domain.replace(/\./g, '_')}_${Array.isArray(range) ? range.join('_') : range}.zip`;
  return (
    <button
      type="button"
      class="btn-link export-button"
      disabled={state === 'busy'}
      aria-busy={state === 'busy'}
      onClick={async () => {
        setState('busy');
        try {
          download(name, await exportZip(dash.api, exportFiles(dash.scope, dash.state)), 'application/zip');
          setState('idle');
        } catch {
          setState('failed');
        }
      }}
    >
      {state === 'busy' ? 'Exporting…' : state === 'failed' ? 'Export failed: retry' : 'Export'}
    </button>
  );
}
