/** A LogInteractionInput for `customerId`: a first-level phone question solved on first contact, with `extra` on top. */
export function interactionInput(customerId: string, extra: Record<string, unknown> = {}) {
  return {
    customerId,
    channel: 'PHONE',
    direction: 'INBOUND',
    serviceArea: 'HELPDESK',
    subject: 'Question',
    handledBy: 'agent.one',
    competenceLevel: 'FIRST_LEVEL',
    resolvedOnFirstContact: true,
    ...extra,
  };
}
