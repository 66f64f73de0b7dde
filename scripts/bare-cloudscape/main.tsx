/**
 * The baseline for `npm run bench:ui` and `npm run size`: a bare page that shows what My settings
 * must show, with the decided libraries, and nothing more. TanStack Query fetches all 100 tokens in
 * one request; Cloudscape (the same version) draws the top navigation, breadcrumbs, and a table
 * with multi selection, the name as a link, expiration date and last use, a filter, pages and the
 * four header actions.
 */
import '@cloudscape-design/global-styles/index.css';
import AppLayout from '@cloudscape-design/components/app-layout';
import BreadcrumbGroup from '@cloudscape-design/components/breadcrumb-group';
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import Pagination from '@cloudscape-design/components/pagination';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import TextFilter from '@cloudscape-design/components/text-filter';
import TopNavigation from '@cloudscape-design/components/top-navigation';
import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { createRoot } from 'react-dom/client';

// Made once, as a careful page does: a Date's toLocale*String builds a formatter on every call.
const day = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dayAndTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

interface Token {
  id: string;
  name: string;
  expiresTime: string;
  lastUsedTime?: string;
}

function Page() {
  const tokens = useQuery({
    queryKey: ['tokens'],
    queryFn: async () => ((await (await fetch('/bare-tokens')).json()) as { items: Token[] }).items,
  });
  const [filter, setFilter] = useState('');
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<Token[]>([]);
  const matching = (tokens.data ?? []).filter((token) => token.name.includes(filter));
  return (
    <>
      <TopNavigation identity={{ href: '#', title: 'Bare' }} utilities={[{ type: 'button', text: 'User' }]} />
      <AppLayout
        navigationHide
        toolsHide
        breadcrumbs={<BreadcrumbGroup items={[{ text: 'Bare', href: '#' }, { text: 'My settings', href: '#' }]} />}
        content={
          <Table
            loading={tokens.isPending}
            loadingText="Loading"
            selectionType="multi"
            selectedItems={selected}
            onSelectionChange={({ detail }) => setSelected(detail.selectedItems)}
            trackBy="id"
            items={matching.slice((page - 1) * 10, page * 10)}
            columnDefinitions={[
              { id: 'name', header: 'Name', cell: (token) => <Link href={`#${token.id}`}>{token.name}</Link> },
              { id: 'expires', header: 'Expiration date', cell: (token) => day.format(new Date(token.expiresTime)) },
              { id: 'used', header: 'Last used', cell: (token) => (token.lastUsedTime ? dayAndTime.format(new Date(token.lastUsedTime)) : 'Never used') },
            ]}
            header={
              <Header
                counter={tokens.data ? `(${tokens.data.length})` : undefined}
                actions={
                  <SpaceBetween direction="horizontal" size="xs">
                    <Button iconName="refresh" ariaLabel="Refresh" onClick={() => void tokens.refetch()} />
                    <Button disabled={selected.length !== 1}>Regenerate</Button>
                    <Button disabled={selected.length === 0}>Delete</Button>
                    <Button variant="primary">Create</Button>
                  </SpaceBetween>
                }
              >
                Personal access tokens
              </Header>
            }
            filter={<TextFilter filteringText={filter} onChange={({ detail }) => setFilter(detail.filteringText)} />}
            pagination={
              <Pagination currentPageIndex={page} pagesCount={Math.max(1, Math.ceil(matching.length / 10))} onChange={({ detail }) => setPage(detail.currentPageIndex)} />
            }
          />
        }
      />
    </>
  );
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <QueryClientProvider client={new QueryClient()}>
      <Page />
    </QueryClientProvider>,
  );
}
