/** The search param naming the event whose details drawer is open, so a link can open it. */
export const EVENT_PARAM = 'event';
