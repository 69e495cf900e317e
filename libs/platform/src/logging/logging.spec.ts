import { maskSensitive } from './logging';

describe('what reaches the logs', () => {
  it('masks civil IDs in URLs', () => {
    expect(maskSensitive('/v1/inquiry/civil-id/288020122596?status=ALL')).toBe('/v1/inquiry/civil-id/2880****2596?status=ALL');
  });

  it('masks card numbers, keeping the first six and last four digits', () => {
    expect(maskSensitive('pan=4111111111111111')).toBe('pan=411111******1111');
  });

  it('leaves plate numbers and short ids alone', () => {
    expect(maskSensitive('/v1/vehicles/PRIVATE/123456/transfers')).toBe('/v1/vehicles/PRIVATE/123456/transfers');
  });
});
