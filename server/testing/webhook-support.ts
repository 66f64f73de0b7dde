import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import { waitFor } from './nginx-support';

export interface Delivery {
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
  /** Whether the signature header is the HMAC-SHA256 of the raw body with the secret, as GitHub's receivers check it. */
  signed: boolean;
}

export interface WebhookReceiver {
  url: string;
  deliveries: Delivery[];
  waitForDeliveries(count: number, timeoutMs?: number): Promise<Delivery[]>;
  close(): Promise<void>;
}

/**
 * A real HTTP receiver: it checks each delivery's signature against the raw body, keeps it, and
 * answers as `answer` says (by default 204): a status, or 'hang' to hold the request open.
 */
export async function startWebhookReceiver(secret: string, answer: (delivery: Delivery) => number | 'hang' = () => 204): Promise<WebhookReceiver> {
  const deliveries: Delivery[] = [];
  const held: ServerResponse[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`);
      const given = Buffer.from(String(request.headers['x-pat-console-signature-256'] ?? ''));
      const delivery = {
        headers: request.headers,
        body: JSON.parse(raw.toString('utf8')) as Record<string, unknown>,
        signed: given.length === expected.length && timingSafeEqual(given, expected),
      };
      deliveries.push(delivery);
      const status = answer(delivery);
      if (status === 'hang') held.push(response);
      else response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/hooks/pat-console`,
    deliveries,
    async waitForDeliveries(count, timeoutMs = 15_000) {
      await waitFor(() => deliveries.length >= count, `${count} webhook deliveries`, timeoutMs);
      return deliveries;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of held) response.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
