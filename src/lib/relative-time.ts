import { formatDistance } from 'date-fns';

/** `in 3 days`, `about 2 hours ago`: how the console says when something happens or happened. */
export const formatRelative = (date: Date, now: Date) => formatDistance(date, now, { addSuffix: true });
