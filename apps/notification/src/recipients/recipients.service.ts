import { Injectable } from '@nestjs/common';
import { OwnerContactUpdated, OwnerRegistered, PlateType, normalizeMobile, plateKey } from '@app/contracts';
import { InjectTransactionHost, TransactionHost, upsertPlateOwners } from '@app/persistence';

/** Who to tell about a plate: its owner's contact details, and the company's webhook if it has one. */
export interface PlateRecipient {
  plate_type: PlateType;
  plate_number: string;
  owner_type: 'PERSON' | 'COMPANY';
  owner_id: string;
  name_ar: string | null;
  name_en: string | null;
  mobile: string | null;
  email: string | null;
  language: string | null;
  webhook_url: string | null;
}

export interface Contact {
  name_ar: string | null;
  name_en: string | null;
  mobile: string | null;
  email: string | null;
  language: string | null;
}

const mobileOf = (value?: string | null) => (value ? normalizeMobile(value) : null);
const emailOf = (value?: string | null) => (value ? value.trim().toLowerCase() : null);

/**
 * Notification's read models of the registry: contacts by owner and owners by plate. Each event
 * carries the full current contact, so the latest one wins and the next message uses it.
 */
@Injectable()
export class RecipientsService {
  constructor(@InjectTransactionHost('notification') private readonly tx: TransactionHost) {}

  async recordOwners(owners: OwnerRegistered[]): Promise<void> {
    await this.tx.manager.query(
      `INSERT INTO contact (owner_type, owner_id, name_ar, name_en, mobile, email, language)
       SELECT DISTINCT ON (t, i) t, i, na, ne, m, e, l FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
           WITH ORDINALITY AS x(t, i, na, ne, m, e, l, ord)
        ORDER BY t, i, ord DESC
       ON CONFLICT (owner_type, owner_id) DO UPDATE SET name_ar = EXCLUDED.name_ar, name_en = EXCLUDED.name_en, mobile = EXCLUDED.mobile,
         email = EXCLUDED.email, language = EXCLUDED.language, updated_at = now()`,
      [
        owners.map((o) => o.owner.type),
        owners.map((o) => o.owner.id),
        owners.map((o) => o.nameAr),
        owners.map((o) => o.nameEn ?? null),
        owners.map((o) => mobileOf(o.contact.mobile)),
        owners.map((o) => emailOf(o.contact.email)),
        owners.map((o) => o.contact.language),
      ],
    );
  }

  async updateContacts(updates: OwnerContactUpdated[]): Promise<void> {
    await this.tx.manager.query(
      `INSERT INTO contact (owner_type, owner_id, mobile, email, language)
       SELECT DISTINCT ON (t, i) t, i, m, e, l FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS x(t, i, m, e, l, ord)
        ORDER BY t, i, ord DESC
       ON CONFLICT (owner_type, owner_id) DO UPDATE SET mobile = EXCLUDED.mobile, email = EXCLUDED.email, language = EXCLUDED.language, updated_at = now()`,
      [
        updates.map((u) => u.owner.type),
        updates.map((u) => u.owner.id),
        updates.map((u) => mobileOf(u.contact.mobile)),
        updates.map((u) => emailOf(u.contact.email)),
        updates.map((u) => u.contact.language),
      ],
    );
  }

  async recordPlateOwners(rows: { plateType: string; plateNumber: string; owner: { type: string; id: string } }[]): Promise<void> {
    await upsertPlateOwners(this.tx.manager, rows);
  }

  /** The current owner of each plate with contact details and webhook; plates nobody is known to own are absent. */
  async ownersOfPlates(plates: { plateType: string; plateNumber: string }[]): Promise<Map<string, PlateRecipient>> {
    if (plates.length === 0) return new Map();
    const rows = await this.tx.manager.query<PlateRecipient[]>(
      `SELECT p.plate_type, p.plate_number, p.owner_type, p.owner_id, c.name_ar, c.name_en, c.mobile, c.email, c.language, w.url AS webhook_url
         FROM plate_owner p
         JOIN unnest($1::text[], $2::text[]) AS x(pt, pn) ON p.plate_type = x.pt AND p.plate_number = x.pn
         LEFT JOIN contact c ON c.owner_type = p.owner_type AND c.owner_id = p.owner_id
         LEFT JOIN company_webhook w ON p.owner_type = 'COMPANY' AND w.company_no = p.owner_id`,
      [plates.map((p) => p.plateType), plates.map((p) => p.plateNumber)],
    );
    return new Map(rows.map((r) => [plateKey(r.plate_type, r.plate_number), r]));
  }

  /** The contacts of these owners, keyed `<type>:<id>`; owners without one are absent. */
  async contactsOf(owners: { type: 'PERSON' | 'COMPANY'; id: string }[]): Promise<Map<string, Contact>> {
    if (owners.length === 0) return new Map();
    const rows = await this.tx.manager.query<(Contact & { owner_type: string; owner_id: string })[]>(
      `SELECT c.owner_type, c.owner_id, c.name_ar, c.name_en, c.mobile, c.email, c.language
         FROM contact c JOIN unnest($1::text[], $2::text[]) AS x(t, i) ON c.owner_type = x.t AND c.owner_id = x.i`,
      [owners.map((o) => o.type), owners.map((o) => o.id)],
    );
    return new Map(rows.map((r) => [`${r.owner_type}:${r.owner_id}`, r]));
  }
}
