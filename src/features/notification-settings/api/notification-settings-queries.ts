import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { NotificationSettings, UpdateNotificationSettingsRequest } from '../../../../contract/schemas';
import { apiClient } from '../../../lib/api-client';

/** The one query-key factory of the notification settings feature. */
export const notificationSettingsKeys = {
  all: ['notification-settings'] as const,
  current: () => [...notificationSettingsKeys.all, 'current'] as const,
};

export const notificationSettingsQuery = () =>
  queryOptions({
    queryKey: notificationSettingsKeys.current(),
    queryFn: () => apiClient.getNotificationSettings(),
  });

export const useNotificationSettings = () => useQuery(notificationSettingsQuery());

/** Each change answers the settings as they now are: the cache takes them as they come. */
function useSettingsMutation<Input>(change: (input: Input) => Promise<NotificationSettings>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: change,
    onSuccess: (settings) => queryClient.setQueryData(notificationSettingsKeys.current(), settings),
  });
}

export const useUpdateNotificationSettings = () =>
  useSettingsMutation((request: UpdateNotificationSettingsRequest) => apiClient.updateNotificationSettings(request));

export const useConfirmNotificationEmail = () => useSettingsMutation((token: string) => apiClient.confirmNotificationEmail(token));
