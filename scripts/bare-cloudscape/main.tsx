/**
 * The baseline for `npm run bench:ui` and `npm run size`: a bare Cloudscape page with the same kind
 * of components as My settings (AppLayout, TopNavigation, Table, Header, Pagination, TextFilter),
 * built from the same Cloudscape version, that fetches all 100 tokens in one request.
 */
import '@cloudscape-design/global-styles/index.css';
import AppLayout from '@cloudscape-design/components/app-layout';
import Header from '@cloudscape-design/components/header';
import Pagination from '@cloudscape-design/components/pagination';
import Table from '@cloudscape-design/components/table';
import TextFilter from '@cloudscape-design/components/text-filter';
import TopNavigation from '@cloudscape-design/components/top-navigation';
import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';

interface Token {
  id: string;
  name: string;
  expiresTime: string;
}

function Page() {
  const [tokens, setTokens] = useState<Token[] | undefined>();
  const [filter, setFilter] = useState('');
  const [page, setPage] = useState(1);
  useEffect(() => {
    void fetch('/bare-tokens')
      .then((response) => response.json() as Promise<{ items: Token[] }>)
      .then((body) => setTokens(body.items));
  }, []);
  const matching = (tokens ?? []).filter((token) => token.name.includes(filter));
  return (
    <>
      <TopNavigation identity={{ href: '#', title: 'Bare' }} utilities={[{ type: 'button', text: 'User' }]} />
      <AppLayout
        navigationHide
        toolsHide
        content={
          <Table
            loading={tokens === undefined}
            loadingText="Loading"
            items={matching.slice((page - 1) * 10, page * 10)}
            columnDefinitions={[
              { id: 'name', header: 'Name', cell: (token) => token.name },
              { id: 'expires', header: 'Expiration date', cell: (token) => new Date(token.expiresTime).toLocaleDateString() },
            ]}
            header={<Header counter={tokens ? `(${tokens.length})` : undefined}>Personal access tokens</Header>}
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
if (root) createRoot(root).render(<Page />);
