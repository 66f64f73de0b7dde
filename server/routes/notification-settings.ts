import type { FastifyInstance } from 'fastify';
import { PATHS } from '../../contract/access-tokens';
import { NotificationSettings } from '../../contract/schemas';
import type { NotificationService } from '../../service/notices';
import { callerOf } from '../auth/console-identity';

/** Our extension: where the caller's notices go. What the operations do is the service's. */
export async function notificationSettingsRoutes(app: FastifyInstance, { notifications }: { notifications: NotificationService }) {
  const schema = { response: { 200: NotificationSettings } };
  app.get(PATHS.notificationSettings, { schema }, (request) => notifications.getNotificationSettings(callerOf(request)));
  app.put(PATHS.notificationSettings, { schema }, (request) => notifications.updateNotificationSettings(callerOf(request), request.body));
  app.post(PATHS.confirmNotificationEmail, { schema }, (request) => notifications.confirmNotificationEmail(callerOf(request), request.body));
}
