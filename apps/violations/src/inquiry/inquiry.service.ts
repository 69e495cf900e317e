import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { OwnerType, PlateType, toMoney } from '@app/contracts';
import { InjectTransactionHost, TransactionHost } from '@app/persistence';
import { FineStatus } from '../fines/fine.entity';
import { FineRow, toFineView } from '../fines/fine-view';
import { InquiryAnswer, InquiryVehicle, PagedInquiryAnswer } from './dto/inquiry.dto';
import { CivilIdRow, PlateRow, civilIdAnswer, plateAnswer } from './inquiry-answer';
import { CSV_HEADER, CsvParts, CsvTitlesRow, csvLines, csvTitlesByCode } from './fine-csv';
import {
  CSV_PLATES_PER_CHUNK,
  InquiryQuery,
  civilIdInquiry,
  companyCsvChunkEnd,
  companyCsvRows,
  companyPage,
  csvTitles,
  companyTotals,
  plateInquiry,
} from './inquiry.queries';

interface CompanyPageRow extends FineRow {
  make: string | null;
  model: string | null;
  fine_count: number;
  outstanding_minor: string;
}

type Settled<T> = { value: T } | { error: unknown };

/** One chunk of a company's CSV: its fines' stored parts, and its last plate when more may follow. */
interface CsvChunk {
  fines: CsvParts[];
  end?: [string, string];
}

interface CompanyTotalsRow {
  name_ar: string | null;
  name_en: string | null;
  vehicles: number;
  fines: string;
  outstanding_minor: string;
}

/**
 * Fines by civil ID, plate or company, answered from violations' own tables: its fines, its read
 * model of who owns each plate, and the per-plate fine summary. No call leaves the service on this path.
 */
@Injectable()
export class InquiryService {
  /** Plates per CSV query (a test sets a small number to cross chunk boundaries). */
  csvPlatesPerChunk = CSV_PLATES_PER_CHUNK;

  constructor(@InjectTransactionHost('violations') private readonly tx: TransactionHost) {}

  /** Fines on the plates a person owns, and fines where the person was the driver. */
  async byCivilId(civilId: string, statuses: FineStatus[]): Promise<InquiryAnswer> {
    return civilIdAnswer(civilId, await this.rows<CivilIdRow>(civilIdInquiry(civilId, statuses)));
  }

  /**
   * A plate's fines and vehicle, and who owns it now, for a reader: a driver's or fleet's owner, or
   * none (admin). The fines are read only if the plate is the reader's; the caller compares `owner`.
   */
  async byPlate(
    plateType: PlateType,
    plateNumber: string,
    statuses: FineStatus[],
    reader?: readonly [OwnerType, string],
  ): Promise<{ owner?: [OwnerType, string]; answer: InquiryAnswer }> {
    return plateAnswer(plateType, plateNumber, await this.rows<PlateRow>(plateInquiry(plateType, plateNumber, statuses, reader)));
  }

  /**
   * One page of a company's fines in plate order, each plate's newest first. `vehicles` are the
   * vehicles of the fines on this page (each with its count and outstanding over all its matching
   * fines); totals, totalItems and vehiclesTotal cover every matching fine. Both come from the
   * per-plate summary, so the cost follows the page, not the fleet.
   */
  async byCompany(companyNo: string, statuses: FineStatus[], page: number, pageSize: number, plateNumber?: string): Promise<PagedInquiryAnswer> {
    const [rows, [totals]] = await Promise.all([
      this.rows<CompanyPageRow>(companyPage(companyNo, statuses, page, pageSize, plateNumber)),
      this.rows<CompanyTotalsRow>(companyTotals(companyNo, statuses, plateNumber)),
    ]);
    const vehicles: InquiryVehicle[] = [];
    for (const row of rows) {
      const previous = vehicles[vehicles.length - 1];
      if (previous?.plateType === row.plate_type && previous.plateNumber === row.plate_number) continue;
      vehicles.push({
        plateNumber: row.plate_number,
        plateType: row.plate_type,
        make: row.make,
        model: row.model,
        fineCount: row.fine_count,
        outstanding: toMoney(BigInt(row.outstanding_minor)),
      });
    }
    const totalItems = Number(totals.fines);
    return {
      subject: { type: 'COMPANY', id: companyNo, nameAr: totals.name_ar, nameEn: totals.name_en },
      vehicles,
      fines: rows.map(toFineView),
      totals: { count: totalItems, outstanding: toMoney(BigInt(totals.outstanding_minor)) },
      page,
      pageSize,
      totalItems,
      vehiclesTotal: totals.vehicles,
    };
  }

  /**
   * Every matching fine of a company as CSV, in chunks of plates: each chunk's fines are read in one
   * query and go to the client as one write. Memory stays flat whatever the fleet's size, and no
   * database connection is held while a slow client reads (with PGlite's single connection, that
   * would stop every other request and event).
   */
  companyCsv(companyNo: string, statuses: FineStatus[], plateNumber?: string): Readable {
    return Readable.from(this.companyCsvChunks(companyNo, statuses, plateNumber), { objectMode: false });
  }

  private async *companyCsvChunks(companyNo: string, statuses: FineStatus[], plateNumber?: string): AsyncGenerator<string | Buffer> {
    yield `\ufeff${CSV_HEADER}\r\n`;
    let next: Promise<Settled<CsvChunk>> | undefined = this.csvChunk(companyNo, statuses, plateNumber, ['', '']);
    let titles = await this.csvTitles();
    // A client that leaves mid-download drops the chunk read ahead, settled either way (csvChunk).
    while (next) {
      const settled: Settled<CsvChunk> = await next;
      if ('error' in settled) throw settled.error;
      const chunk: CsvChunk = settled.value;
      // The next chunk is read while this one goes to the client: at most two in memory, one query at a time.
      next = chunk.end ? this.csvChunk(companyNo, statuses, plateNumber, chunk.end) : undefined;
      let lines = csvLines(chunk.fines, titles);
      if (lines === undefined) {
        // A violation type added during the download: read the titles again (the fine's code references one).
        titles = await this.csvTitles();
        lines = csvLines(chunk.fines, titles);
        if (lines === undefined) throw new Error(`a fine of company ${companyNo} has a violation code with no title`);
      }
      if (lines.length > 0) yield lines;
    }
  }

  private async csvTitles(): Promise<Map<string, string>> {
    return csvTitlesByCode(await this.rows<CsvTitlesRow>(csvTitles()));
  }

  /**
   * One chunk's queries, settled: a read-ahead that fails while the client is slow is held as a value
   * until the client gets to it, never a rejected promise nobody awaits (which would end the process).
   */
  private csvChunk(companyNo: string, statuses: FineStatus[], plateNumber: string | undefined, after: [string, string]): Promise<Settled<CsvChunk>> {
    const read = async (): Promise<CsvChunk> => {
      const [last] = await this.rows<{ plate_type: string; plate_number: string }>(
        companyCsvChunkEnd(companyNo, statuses, plateNumber, after, this.csvPlatesPerChunk),
      );
      const end: [string, string] | undefined = last ? [last.plate_type, last.plate_number] : undefined;
      return { fines: await this.rows<CsvParts>(companyCsvRows(companyNo, statuses, plateNumber, after, end)), end };
    };
    return read().then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
  }

  private rows<T>(query: InquiryQuery): Promise<T[]> {
    return this.tx.read<T>(query);
  }
}
