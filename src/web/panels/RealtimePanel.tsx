// The last 30 minutes, as Plausible's realtime view lists them: the pages visitors viewed
// and the sources their visits came from (issue 12, B5). Fed by the dashboard's realtime
// poll, so it asks nothing of its own.
import { useState } from 'preact/hooks';
import type { QueryRow } from '../api/types.js';
import type { RealtimeState } from '../dashboard/Realtime.js';
import { Skeleton } from '../ui/Status.js';
import { Panel } from './Panel.js';
import { RankedList } from './RankedList.js';

const TABS = [
  { key: 'pages', label: 'Pages' },
  { key: 'sources', label: 'Sources' },
];

export function RealtimePanel(props: { state: RealtimeState }) {
  const [tab, setTab] = useState('pages');
  const data = props.state.data;
  if (props.state.refused) return null;
  const rows: QueryRow[] =
    tab === 'pages'
      ? (data?.pages ?? []).map((p) => ({ dimensions: [p.page], metrics: [p.visitors] }))
      : (data?.sources ?? []).map((s) => ({ dimensions: [s.source], metrics: [s.visitors] }));
  return (
    <Panel id="realtime" title="Last 30 minutes" tabs={TABS} active={tab} onTab={setTab}>
      {!data ? (
        <Skeleton rows={3} />
      ) : rows.length === 0 ? (
        <p class="empty">No visitors in the last 30 minutes</p>
      ) : (
        <RankedList
          heading={tab === 'pages' ? 'Page' : 'Source'}
          dim={tab === 'pages' ? 'event:page' : 'visit:source'}
          rows={rows}
          metrics={['visitors']}
        />
      )}
    </Panel>
  );
}
