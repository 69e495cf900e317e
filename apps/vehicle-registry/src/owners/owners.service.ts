import { Injectable } from '@nestjs/common';
import { OwnerType, ownerKey } from '@app/contracts';
import { EventPublisher, InjectEventPublisher } from '@app/messaging';
import { InjectTransactionHost, TransactionHost, isUniqueViolation } from '@app/persistence';
import { RegistryErrors } from '../registry.errors';
import { Company } from './company.entity';
import { CreateCompanyDto, CreatePersonDto, UpdateContactDto } from './dto/owner.dto';
import { Person } from './person.entity';

/** Persons and companies: the owners of vehicles, with the contact details messages go to. */
@Injectable()
export class OwnersService {
  constructor(
    @InjectTransactionHost('vehicle-registry') private readonly tx: TransactionHost,
    @InjectEventPublisher('vehicle-registry') private readonly events: EventPublisher,
  ) {}

  async registerPerson(dto: CreatePersonDto): Promise<Person> {
    try {
      return await this.tx.run(async (manager) => {
        const person = manager.create(Person, {
          civilId: dto.civilId,
          nameAr: dto.nameAr,
          nameEn: dto.nameEn ?? null,
          mobile: dto.mobile,
          email: dto.email ?? null,
          language: dto.language,
        });
        await manager.insert(Person, person);
        await this.events.publish('ownerRegistered', ownerKey('PERSON', person.civilId), {
          owner: { type: 'PERSON', id: person.civilId },
          nameAr: person.nameAr,
          nameEn: person.nameEn,
          contact: { mobile: person.mobile, email: person.email, language: person.language },
        });
        return await manager.findOneByOrFail(Person, { civilId: person.civilId });
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw RegistryErrors.personExists(dto.civilId);
      throw error;
    }
  }

  async updatePersonContact(civilId: string, dto: UpdateContactDto): Promise<Person> {
    return this.tx.run(async (manager) => {
      const person = await manager.findOne(Person, { where: { civilId }, lock: { mode: 'pessimistic_write' } });
      if (!person) throw RegistryErrors.personNotFound(civilId);
      if (dto.mobile !== undefined) person.mobile = dto.mobile;
      if (dto.email !== undefined) person.email = dto.email;
      if (dto.language !== undefined) person.language = dto.language;
      const saved = await manager.save(person);
      await this.events.publish('ownerContactUpdated', ownerKey('PERSON', civilId), {
        owner: { type: 'PERSON', id: civilId },
        contact: { mobile: saved.mobile, email: saved.email, language: saved.language },
      });
      return saved;
    });
  }

  async registerCompany(dto: CreateCompanyDto): Promise<Company> {
    try {
      return await this.tx.run(async (manager) => {
        const company = manager.create(Company, {
          companyNo: dto.companyNo,
          nameAr: dto.nameAr,
          nameEn: dto.nameEn ?? null,
          mobile: dto.mobile ?? null,
          email: dto.email ?? null,
          language: dto.language,
        });
        await manager.insert(Company, company);
        await this.events.publish('ownerRegistered', ownerKey('COMPANY', company.companyNo), {
          owner: { type: 'COMPANY', id: company.companyNo },
          nameAr: company.nameAr,
          nameEn: company.nameEn,
          contact: { mobile: company.mobile, email: company.email, language: company.language },
        });
        return manager.findOneByOrFail(Company, { companyNo: company.companyNo });
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw RegistryErrors.companyExists(dto.companyNo);
      throw error;
    }
  }

  /** Whether an owner is on record. */
  async exists(type: OwnerType, id: string): Promise<boolean> {
    const manager = this.tx.manager;
    return type === 'PERSON' ? manager.existsBy(Person, { civilId: id }) : manager.existsBy(Company, { companyNo: id });
  }
}
