/**
 * Page-level state of the callback feature (seed-behaviour 4.5): the reservation whose outbound call was
 * placed last, so it can be re-selected when Flex clears the selection after that call ends.
 */
let lastPlacedReservationSid: string | undefined;

/** Remembers the reservation (Flex `task.sid`, WR…) whose "Place Call Now" was pressed. */
export function rememberPlacedReservation(sid: string): void {
  lastPlacedReservationSid = sid;
}

/** The reservation remembered by {@link rememberPlacedReservation}, if any. */
export function placedReservation(): string | undefined {
  return lastPlacedReservationSid;
}

/** Forgets it (tests; and once it has been re-selected). */
export function forgetPlacedReservation(): void {
  lastPlacedReservationSid = undefined;
}
