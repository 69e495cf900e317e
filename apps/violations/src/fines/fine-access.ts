import type { OwnerType } from '@app/contracts';
import type { Principal } from '@app/platform';
import { ownerOf, sameOwner } from '../ownership/ownership-read-model.service';
import type { FineRow } from './fine-view';

/** A fine with its plate's current owner (none while the registry has not announced the plate), as `fineWithOwner` reads it. */
export type OwnedFineRow = FineRow & { owner_type: OwnerType | null; owner_id: string | null };

/** Whether a caller may read this fine: staff always; a driver or fleet when the plate is theirs now, or a driver who was driving. */
export function mayRead(fine: OwnedFineRow, principal: Principal): boolean {
  if (principal.role === 'admin' || principal.role === 'officer' || principal.role === 'clerk') return true;
  if (principal.role === 'driver' && principal.civilId !== undefined && fine.driver_civil_id === principal.civilId) return true;
  return fine.owner_type !== null && fine.owner_id !== null && sameOwner(ownerOf(principal), [fine.owner_type, fine.owner_id]);
}
