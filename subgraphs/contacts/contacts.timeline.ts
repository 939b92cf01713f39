import { eventKey, type TimelineSource } from '../platform/timeline';

/** Contacts' events: every interaction, on its channel. Subjects and notes stay out (free text, may be personal). */
export const contactsTimeline: TimelineSource = {
  branches: (ds) => [
    {
      kind: 'INTERACTION',
      from: 'interactions i',
      customer: 'i.customer_id',
      at: 'i.occurred_at',
      key: eventKey('int', 'i.id', ds),
      entityType: 'Interaction',
      entityId: 'i.id',
      ref: 'i.channel',
      detail: 'i.direction',
      extra: 'i.service_area',
    },
  ],
  summarize: (row) => `${row.detail === 'OUTBOUND' ? 'Outbound' : 'Inbound'} ${row.ref} contact (${row.extra})`,
};
