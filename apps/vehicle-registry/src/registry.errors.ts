import { formatMinor, toMoney } from '@app/contracts';
import { DomainError } from '@app/platform';

export enum RegistryErrorCode {
  PersonExists = 'registry.person-exists',
  CompanyExists = 'registry.company-exists',
  PersonNotFound = 'registry.person-not-found',
  OwnerNotFound = 'registry.owner-not-found',
  VehicleExists = 'registry.vehicle-exists',
  VehicleNotFound = 'registry.vehicle-not-found',
  SameOwner = 'registry.same-owner',
  OutOfScope = 'registry.out-of-scope',
  UnpaidFines = 'registry.unpaid-fines',
}

export const RegistryErrors = {
  personExists: (civilId: string) =>
    new DomainError(
      RegistryErrorCode.PersonExists,
      409,
      { ar: 'الشخص مسجل مسبقًا', en: 'Person already registered' },
      {
        ar: `الرقم المدني ${civilId} مسجل مسبقًا.`,
        en: `Civil ID ${civilId} is already registered.`,
      },
    ),
  companyExists: (companyNo: string) =>
    new DomainError(
      RegistryErrorCode.CompanyExists,
      409,
      { ar: 'الشركة مسجلة مسبقًا', en: 'Company already registered' },
      {
        ar: `رقم الشركة ${companyNo} مسجل مسبقًا.`,
        en: `Company number ${companyNo} is already registered.`,
      },
    ),
  personNotFound: (civilId: string) =>
    new DomainError(
      RegistryErrorCode.PersonNotFound,
      404,
      { ar: 'الشخص غير موجود', en: 'Person not found' },
      {
        ar: `لا يوجد شخص مسجل بالرقم المدني ${civilId}.`,
        en: `No person is registered with civil ID ${civilId}.`,
      },
    ),
  ownerNotFound: (type: string, id: string) =>
    new DomainError(
      RegistryErrorCode.OwnerNotFound,
      422,
      { ar: 'المالك غير مسجل', en: 'Owner not registered' },
      {
        ar: type === 'PERSON' ? `لا يوجد شخص مسجل بالرقم المدني ${id}.` : `لا توجد شركة مسجلة بالرقم ${id}.`,
        en: type === 'PERSON' ? `No person is registered with civil ID ${id}.` : `No company is registered with number ${id}.`,
      },
    ),
  vehicleExists: (plateType: string, plateNumber: string) =>
    new DomainError(
      RegistryErrorCode.VehicleExists,
      409,
      { ar: 'المركبة مسجلة مسبقًا', en: 'Vehicle already registered' },
      {
        ar: `اللوحة ${plateNumber} (${plateType}) مسجلة مسبقًا.`,
        en: `Plate ${plateNumber} (${plateType}) is already registered.`,
      },
    ),
  vehicleNotFound: (plateType: string, plateNumber: string) =>
    new DomainError(
      RegistryErrorCode.VehicleNotFound,
      404,
      { ar: 'المركبة غير موجودة', en: 'Vehicle not found' },
      {
        ar: `لا توجد مركبة باللوحة ${plateNumber} (${plateType}).`,
        en: `No vehicle has plate ${plateNumber} (${plateType}).`,
      },
    ),
  sameOwner: () =>
    new DomainError(
      RegistryErrorCode.SameOwner,
      422,
      { ar: 'المالك الجديد هو المالك الحالي', en: 'New owner is the current owner' },
      {
        ar: 'لا يمكن نقل الملكية إلى المالك الحالي نفسه.',
        en: 'Ownership cannot be transferred to the current owner.',
      },
    ),
  unpaidFines: (plateType: string, plateNumber: string, count: number, amountMinor: number) =>
    new DomainError(
      RegistryErrorCode.UnpaidFines,
      409,
      { ar: 'توجد مخالفات غير مدفوعة', en: 'Unpaid fines' },
      {
        ar: `لا يمكن نقل ملكية المركبة ${plateNumber} (${plateType}): عليها ${count} ${count === 1 ? 'مخالفة غير مدفوعة' : 'مخالفات غير مدفوعة'} بقيمة ${formatMinor(amountMinor)} د.ك.`,
        en: `Vehicle ${plateNumber} (${plateType}) cannot be transferred: it has ${count} unpaid fine${count === 1 ? '' : 's'} totalling KWD ${formatMinor(amountMinor)}.`,
      },
      { unpaidFines: { count, outstanding: toMoney(amountMinor) } },
    ),
  outOfScope: () =>
    new DomainError(
      RegistryErrorCode.OutOfScope,
      403,
      { ar: 'غير مسموح', en: 'Forbidden' },
      {
        ar: 'لا تغطي صلاحيتك هذا المالك.',
        en: 'Your token does not cover this owner.',
      },
    ),
};
