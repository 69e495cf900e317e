import { finesCountedAr, formatDate, formatMoney, listOf } from './format';
import { smsLength } from './sms-length';
import { FineFacts, renderFineCancelled, renderFineIssued, renderPaymentEnded, renderPaymentReceipt } from './templates';

// The violation catalogue's titles (apps/violations/src/catalogue/violation-types.data.ts), as drivers read them.
const CATALOGUE: { code: string; titleAr: string; titleEn: string }[] = [
  { code: 'SPD-10', titleAr: 'تجاوز السرعة المقررة بما لا يزيد على 20 كم/س', titleEn: 'Speeding up to 20 km/h over the limit' },
  { code: 'SPD-20', titleAr: 'تجاوز السرعة المقررة من 21 إلى 40 كم/س', titleEn: 'Speeding 21 to 40 km/h over the limit' },
  { code: 'SPD-40', titleAr: 'تجاوز السرعة المقررة من 41 إلى 60 كم/س', titleEn: 'Speeding 41 to 60 km/h over the limit' },
  { code: 'SPD-60', titleAr: 'تجاوز السرعة المقررة بأكثر من 60 كم/س', titleEn: 'Speeding more than 60 km/h over the limit' },
  { code: 'RED-LIGHT', titleAr: 'تجاوز الإشارة الضوئية الحمراء', titleEn: 'Running a red light' },
  { code: 'WRONG-DIR', titleAr: 'السير عكس الاتجاه', titleEn: 'Driving against the direction of traffic' },
  { code: 'PHONE', titleAr: 'استخدام الهاتف النقال باليد أثناء القيادة', titleEn: 'Using a hand-held phone while driving' },
  { code: 'SEAT-BELT', titleAr: 'عدم ربط حزام الأمان', titleEn: 'Not wearing a seat belt' },
  { code: 'CHILD-SEAT', titleAr: 'عدم استخدام مقعد الأطفال', titleEn: 'Child not in a child seat' },
  { code: 'NO-PARK', titleAr: 'الوقوف في الأماكن الممنوع الوقوف فيها', titleEn: 'Parking where parking is prohibited' },
  { code: 'DISABLED-PARK', titleAr: 'الوقوف في المواقف المخصصة لذوي الإعاقة', titleEn: 'Parking in a space reserved for people with disabilities' },
  { code: 'DOUBLE-PARK', titleAr: 'الوقوف المزدوج', titleEn: 'Double parking' },
  { code: 'OVERLOAD', titleAr: 'تحميل المركبة بأكثر من الحمولة المقررة', titleEn: 'Overloading the vehicle beyond its permitted load' },
  { code: 'BARRIER', titleAr: 'تخطي الحواجز المرورية', titleEn: 'Crossing a traffic barrier' },
  { code: 'LOAD-ROAD', titleAr: 'التحميل أو التنزيل في الطريق العام', titleEn: 'Loading or unloading on a public road' },
  { code: 'PLATE-TAMPER', titleAr: 'إزالة أو تغيير أرقام اللوحات المعدنية', titleEn: 'Removing or changing plate numbers' },
  { code: 'OBSTRUCT', titleAr: 'عرقلة حركة المرور عمدًا', titleEn: 'Deliberately obstructing traffic' },
  { code: 'NOISE', titleAr: 'إحداث أصوات مزعجة أو ضوضاء من المركبة', titleEn: 'Loud noise from the vehicle' },
  { code: 'ROAD-DAMAGE', titleAr: 'إتلاف المنشآت أو التجهيزات المرورية', titleEn: 'Damaging road fixtures' },
  { code: 'HIGH-BEAM', titleAr: 'استعمال الأضواء العالية بصورة مستمرة', titleEn: 'Persistent use of high beams' },
  { code: 'TINT', titleAr: 'تظليل زجاج المركبة بما يخالف المواصفات', titleEn: 'Window tint beyond the permitted level' },
  { code: 'NO-LICENCE', titleAr: 'القيادة بدون رخصة قيادة', titleEn: 'Driving without a driving licence' },
  { code: 'EXPIRED-REG', titleAr: 'قيادة مركبة انتهت دفتر ترخيصها', titleEn: 'Driving a vehicle with expired registration' },
  { code: 'RECKLESS', titleAr: 'القيادة بتهور أو بطريقة تعرض الأرواح للخطر', titleEn: 'Reckless driving endangering lives' },
  { code: 'EMERGENCY-LANE', titleAr: 'السير على كتف الطريق (حارة الطوارئ)', titleEn: 'Driving on the hard shoulder (emergency lane)' },
  { code: 'NO-GIVE-WAY', titleAr: 'عدم إعطاء الأولوية للمشاة أو للمركبات', titleEn: 'Failing to give way to pedestrians or vehicles' },
  { code: 'U-TURN', titleAr: 'الدوران للخلف في مكان ممنوع', titleEn: 'U-turn where prohibited' },
  { code: 'LANE-CHANGE', titleAr: 'تغيير المسار بشكل مفاجئ دون إعطاء إشارة', titleEn: 'Changing lanes suddenly without signalling' },
  { code: 'TAILGATE', titleAr: 'عدم ترك مسافة أمان كافية', titleEn: 'Tailgating: not keeping a safe distance' },
  { code: 'NO-INSURANCE', titleAr: 'قيادة مركبة غير مؤمن عليها', titleEn: 'Driving an uninsured vehicle' },
];

const RLM = '\u200f';
const fine: FineFacts = {
  fineNumber: '26000012345',
  plateType: 'PRIVATE',
  plateNumber: '149507',
  titleAr: 'عدم ربط حزام الأمان',
  titleEn: 'Not wearing a seat belt',
  amountMinor: 30000,
  currency: 'KWD',
  occurredAt: '2026-11-22T05:15:00.000Z', // 08:15 in Kuwait
  locationAr: 'شارع الخليج العربي، الشرق',
  locationEn: 'Arabian Gulf Street, Sharq',
};

describe('message templates, rendered with real data', () => {
  it('money from integer fils, with the currency the reader expects', () => {
    expect(formatMoney(15000, 'KWD', 'ar')).toBe('15.000 د.ك');
    expect(formatMoney(15000, 'KWD', 'en')).toBe('KWD 15.000');
    expect(formatMoney(5, 'KWD', 'en')).toBe('KWD 0.005');
  });

  it('dates on Kuwait time, in the reader’s locale', () => {
    expect(formatDate('2026-11-22T21:30:00Z', 'ar')).toBe(`23${RLM}/11${RLM}/2026، 12:30 ص`);
    expect(formatDate('2026-11-22T21:30:00Z', 'en')).toBe('23 Nov 2026, 12:30 am');
    expect(formatDate('2026-11-22T21:30:00Z', 'ar', 'long')).toBe('23 نوفمبر 2026 في 12:30 ص');
  });

  it('Arabic counts fines the Arabic way', () => {
    expect([3, 10, 11, 25, 103].map(finesCountedAr)).toEqual(['3 مخالفات', '10 مخالفات', '11 مخالفة', '25 مخالفة', '103 مخالفات']);
  });

  it('Arabic lists join every item with و', () => {
    expect(listOf(['26000000040', '26000000041', '26000000042'], 'ar')).toBe('26000000040 و26000000041 و26000000042');
    expect(listOf(['26000000040', '26000000041', '26000000042'], 'en')).toBe('26000000040, 26000000041 and 26000000042');
  });

  it('a company is told to look its fines up by company number, not civil ID', () => {
    expect(renderFineIssued('ar', { name: 'شركة النقل السريع', fine, company: true }).text).toContain(
      'يمكنكم الاستعلام عن مخالفات مركبات الشركة ودفعها إلكترونيًا برقم الشركة أو برقم اللوحة.',
    );
    expect(renderFineIssued('en', { name: 'Rapid Transport Co.', fine, company: true }).text).toContain('with your company number or plate number');
    expect(renderFineIssued('ar', { fine }).text).toContain('بالرقم المدني أو برقم اللوحة');
  });

  describe('a new fine', () => {
    it('in Arabic', () => {
      const sut = renderFineIssued('ar', { name: 'سارة أحمد العنزي', fine });
      expect(sut.sms).toBe(
        `مخالفة مرورية جديدة رقم 26000012345 على مركبتك 149507 (خصوصي): عدم ربط حزام الأمان، بقيمة 30.000 د.ك، بتاريخ 22${RLM}/11${RLM}/2026، 8:15 ص.`,
      );
      expect(sut.subject).toBe('مخالفة مرورية جديدة رقم 26000012345');
      expect(sut.text).toBe(
        [
          'مرحبًا سارة أحمد العنزي،',
          '',
          'سُجّلت مخالفة مرورية جديدة على مركبتك، وهذه تفاصيلها:',
          '',
          'رقم المخالفة: 26000012345',
          'المركبة: 149507 (خصوصي)',
          'المخالفة: عدم ربط حزام الأمان',
          'المكان: شارع الخليج العربي، الشرق',
          'التاريخ والوقت: 22 نوفمبر 2026 في 8:15 ص',
          'قيمة المخالفة: 30.000 د.ك',
          '',
          'يمكنك الاستعلام عن مخالفاتك ودفعها إلكترونيًا بالرقم المدني أو برقم اللوحة.',
          '',
          'مع التحية،',
          'الإدارة العامة للمرور',
        ].join('\n'),
      );
      expect(sut.html).toContain('<html lang="ar" dir="rtl">');
      expect(sut.html).toContain('<tr><th>المكان</th><td>شارع الخليج العربي، الشرق</td></tr>');
    });

    it('in English', () => {
      const sut = renderFineIssued('en', { name: 'Sara Ahmad Al-Enezi', fine });
      expect(sut.sms).toBe('New traffic fine 26000012345 on your vehicle 149507 (Private): Not wearing a seat belt, KWD 30.000, 22 Nov 2026, 8:15 am.');
      expect(smsLength(sut.sms)).toEqual({ encoding: 'GSM-7', units: sut.sms.length, segments: 1 });
      expect(sut.subject).toBe('New traffic fine 26000012345');
      expect(sut.text).toContain('Hello Sara Ahmad Al-Enezi,\n\nA new traffic fine has been recorded on your vehicle:');
      expect(sut.text).toContain('Location: Arabian Gulf Street, Sharq\nDate and time: 22 November 2026 at 8:15 am\nAmount: KWD 30.000');
      expect(sut.html).toContain('<html lang="en" dir="ltr">');
    });

    it('every violation of the catalogue, on the longest plate type, fits in two SMS segments in both languages', () => {
      for (const type of CATALOGUE) {
        for (const lang of ['ar', 'en'] as const) {
          const { sms } = renderFineIssued(lang, {
            fine: {
              ...fine,
              plateType: 'PUBLIC_TRANSPORT',
              plateNumber: '1234567',
              amountMinor: 150000,
              titleAr: type.titleAr,
              titleEn: type.titleEn,
              fineNumber: '26999999999',
            },
          });
          expect({ code: type.code, lang, fits: smsLength(sms).segments <= 2 }).toEqual({ code: type.code, lang, fits: true });
          expect(sms).toContain('26999999999');
          expect(sms).toContain(lang === 'ar' ? '150.000 د.ك' : 'KWD 150.000');
        }
      }
    });

    it('the longest Arabic title drops the extra words, then the time, before it cuts the title', () => {
      const longest = {
        ...fine,
        plateType: 'PUBLIC_TRANSPORT',
        plateNumber: '1234567',
        amountMinor: 150000,
        titleAr: 'تجاوز السرعة المقررة بما لا يزيد على 20 كم/س',
      };
      expect(renderFineIssued('ar', { fine: longest }).sms).toBe(
        `مخالفة مرورية رقم 26000012345 على مركبتك 1234567 (نقل عام): تجاوز السرعة المقررة بما لا يزيد على 20 كم/س، 150.000 د.ك، 22${RLM}/11${RLM}/2026.`,
      );
      const absurd = renderFineIssued('ar', { fine: { ...longest, titleAr: `${longest.titleAr} ${longest.titleAr}` } }).sms;
      expect(smsLength(absurd).segments).toBe(2);
      expect(absurd).toMatch(/…، 150\.000 د\.ك، 22.\/11.\/2026\.$/);
    });
  });

  describe('a payment receipt', () => {
    const receipt = {
      name: 'محمد الكندري',
      paymentNumber: '2611220000123',
      items: [
        { fineNumber: '26000012345', amountMinor: 30000, titleAr: 'عدم ربط حزام الأمان', titleEn: 'Not wearing a seat belt' },
        { fineNumber: '26000012346', amountMinor: 15000, titleAr: 'الوقوف المزدوج', titleEn: 'Double parking' },
      ],
      totalMinor: 45000,
      currency: 'KWD',
      bankReference: 'SIM0A1B2C3D4E5F',
      paidAt: '2026-11-22T09:05:00Z',
    };

    it('in Arabic', () => {
      const sut = renderPaymentReceipt('ar', receipt);
      expect(sut.sms).toBe(
        'تم استلام دفعتك بنجاح: 45.000 د.ك عن المخالفتين 26000012345 و26000012346. رقم عملية الدفع 2611220000123، مرجع البنك SIM0A1B2C3D4E5F.',
      );
      expect(smsLength(sut.sms).segments).toBe(2);
      expect(sut.subject).toBe('إيصال دفع المخالفات المرورية - عملية رقم 2611220000123');
      expect(sut.text).toBe(
        [
          'مرحبًا محمد الكندري،',
          '',
          'شكرًا لك، تم استلام دفعتك بنجاح.',
          '',
          'رقم عملية الدفع: 2611220000123',
          'مرجع البنك: SIM0A1B2C3D4E5F',
          'تاريخ الدفع: 22 نوفمبر 2026 في 12:05 م',
          'المبلغ الإجمالي: 45.000 د.ك',
          'المخالفات المدفوعة:',
          '- 26000012345 (عدم ربط حزام الأمان): 30.000 د.ك',
          '- 26000012346 (الوقوف المزدوج): 15.000 د.ك',
          '',
          'احتفظ بهذه الرسالة إيصالًا لعملية الدفع.',
          '',
          'مع التحية،',
          'الإدارة العامة للمرور',
        ].join('\n'),
      );
    });

    it('in Arabic, one fine and many fines', () => {
      expect(renderPaymentReceipt('ar', { ...receipt, items: receipt.items.slice(0, 1), totalMinor: 30000 }).sms).toBe(
        'تم استلام دفعتك بنجاح: 30.000 د.ك عن المخالفة رقم 26000012345. رقم عملية الدفع 2611220000123، مرجع البنك SIM0A1B2C3D4E5F.',
      );
      const many = Array.from({ length: 12 }, (_, i) => ({ fineNumber: `260000123${String(i).padStart(2, '0')}`, amountMinor: 15000 }));
      const sms = renderPaymentReceipt('ar', { ...receipt, items: many, totalMinor: 180000 }).sms;
      expect(sms).toBe('تم استلام دفعتك بنجاح: 180.000 د.ك عن 12 مخالفة. رقم عملية الدفع 2611220000123، مرجع البنك SIM0A1B2C3D4E5F.');
    });

    it('in English', () => {
      const sut = renderPaymentReceipt('en', { ...receipt, name: 'Mohammad Al-Kandari' });
      expect(sut.sms).toBe(
        'Payment received: KWD 45.000 for fines 26000012345 and 26000012346. Payment number 2611220000123, bank reference SIM0A1B2C3D4E5F. Thank you.',
      );
      expect(sut.subject).toBe('Traffic fines payment receipt - payment 2611220000123');
      expect(sut.text).toContain('Paid on: 22 November 2026 at 12:05 pm\nTotal: KWD 45.000\nFines paid:\n- 26000012345 (Not wearing a seat belt): KWD 30.000');
    });

    it('a long bank reference and 200 fines still fit in two segments', () => {
      const many = Array.from({ length: 200 }, (_, i) => ({ fineNumber: `26${String(i).padStart(9, '0')}`, amountMinor: 150000 }));
      for (const lang of ['ar', 'en'] as const) {
        const { sms } = renderPaymentReceipt(lang, { ...receipt, items: many, totalMinor: 30000000, bankReference: 'KNET-2026112209050012345678' });
        expect(smsLength(sms).segments).toBeLessThanOrEqual(2);
        expect(sms).toContain('KNET-2026112209050012345678');
      }
    });
  });

  describe('a payment that did not go through', () => {
    const ended = { paymentNumber: '2611220000123', items: [{ fineNumber: '26000012345', amountMinor: 30000 }], currency: 'KWD' };

    it('in Arabic: declined, cancelled, expired; one, two and many fines', () => {
      expect(renderPaymentEnded('ar', { ...ended, outcome: 'FAILED' }).sms).toBe(
        'رفض البنك عملية الدفع رقم 2611220000123. ما زالت المخالفة بقيمة 30.000 د.ك غير مدفوعة، ويمكنك محاولة الدفع مجددًا.',
      );
      const two = [...ended.items, { fineNumber: '26000012346', amountMinor: 15000 }];
      expect(renderPaymentEnded('ar', { ...ended, items: two, outcome: 'CANCELLED' }).sms).toBe(
        'أُلغيت عملية الدفع رقم 2611220000123. ما زالت المخالفتان بقيمة 45.000 د.ك غير مدفوعتين، ويمكنك محاولة الدفع مجددًا.',
      );
      const five = Array.from({ length: 5 }, (_, i) => ({ fineNumber: String(i), amountMinor: 20000 }));
      const expired = renderPaymentEnded('ar', { ...ended, items: five, outcome: 'EXPIRED' });
      expect(expired.sms).toBe(
        'انتهت مهلة عملية الدفع رقم 2611220000123 قبل إتمامها. ما زالت 5 مخالفات بقيمة 100.000 د.ك غير مدفوعة، ويمكنك محاولة الدفع مجددًا.',
      );
      expect(expired.subject).toBe('لم تكتمل عملية الدفع رقم 2611220000123');
      expect(expired.text).toContain('المخالفات غير المدفوعة:\n- 0: 20.000 د.ك');
    });

    it('in English', () => {
      expect(renderPaymentEnded('en', { ...ended, outcome: 'EXPIRED' }).sms).toBe(
        'Payment 2611220000123 expired before it was completed. Your fine of KWD 30.000 is still unpaid; you can try paying again.',
      );
      const two = [...ended.items, { fineNumber: '26000012346', amountMinor: 15000 }];
      const declined = renderPaymentEnded('en', { ...ended, items: two, outcome: 'FAILED' });
      expect(declined.sms).toBe('Payment 2611220000123 was declined by the bank. Your 2 fines (KWD 45.000) are still unpaid; you can try paying again.');
      expect(declined.subject).toBe('Payment 2611220000123 was not completed');
    });
  });

  describe('a cancelled fine', () => {
    it('in Arabic', () => {
      const sut = renderFineCancelled('ar', { name: 'سارة أحمد العنزي', fine, reason: 'قُبل الاعتراض' });
      expect(sut.sms).toBe('أُلغيت المخالفة رقم 26000012345 المسجلة على مركبتك 149507 (خصوصي) بقيمة 30.000 د.ك، ولا يلزمك دفعها.');
      expect(sut.subject).toBe('إلغاء المخالفة المرورية رقم 26000012345');
      expect(sut.text).toContain('نفيدك بإلغاء المخالفة المرورية التالية المسجلة على مركبتك:');
      expect(sut.text).toContain('المخالفة: عدم ربط حزام الأمان\nقيمة المخالفة: 30.000 د.ك\nسبب الإلغاء: قُبل الاعتراض');
      expect(sut.text).toContain('لا يلزمك دفع هذه المخالفة، ولن تظهر ضمن مخالفاتك غير المدفوعة.');
    });

    it('in English', () => {
      const sut = renderFineCancelled('en', { fine, reason: 'Appeal accepted' });
      expect(sut.sms).toBe('Traffic fine 26000012345 on your vehicle 149507 (Private), KWD 30.000, has been cancelled. You do not need to pay it.');
      expect(sut.text.startsWith('Hello,\n\nThe following traffic fine on your vehicle has been cancelled:')).toBe(true);
      expect(sut.text).toContain('Reason: Appeal accepted');
    });
  });

  it('HTML escapes what people typed', () => {
    expect(renderFineCancelled('en', { fine, reason: '<script>x</script>' }).html).toContain('&#60;script&#62;x&#60;/script&#62;');
  });
});
