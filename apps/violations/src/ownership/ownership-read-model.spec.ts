import type { Principal } from '@app/platform';
import { ownerOf, sameOwner } from './ownership-read-model.service';

describe('the owner a token stands for', () => {
  it('a driver the person of their civil ID, a fleet its company', () => {
    expect(ownerOf({ sub: 'd', role: 'driver', civilId: '288020122596' })).toEqual(['PERSON', '288020122596']);
    expect(ownerOf({ sub: 'f', role: 'fleet', companyNo: '100001' })).toEqual(['COMPANY', '100001']);
  });

  it('none for staff, nor for a driver or fleet token without its number', () => {
    const none: Principal[] = [
      { sub: 'a', role: 'admin' },
      { sub: 'o', role: 'officer', civilId: '288020122596' },
      { sub: 'c', role: 'clerk' },
      { sub: 'd', role: 'driver' },
      { sub: 'f', role: 'fleet', civilId: '288020122596' },
    ];
    for (const principal of none) expect(ownerOf(principal)).toBeUndefined();
  });
});

describe('whether two owners are the same', () => {
  it('the same type and number', () => {
    expect(sameOwner(['PERSON', '288020122596'], ['PERSON', '288020122596'])).toBe(true);
  });

  it('not another number, not the other type with the same number, not when either is missing', () => {
    expect(sameOwner(['PERSON', '288020122596'], ['PERSON', '285010112358'])).toBe(false);
    expect(sameOwner(['COMPANY', '288020122596'], ['PERSON', '288020122596'])).toBe(false);
    expect(sameOwner(['PERSON', '288020122596'], undefined)).toBe(false);
    expect(sameOwner(undefined, undefined)).toBe(false);
  });
});
