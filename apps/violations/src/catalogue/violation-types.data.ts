/**
 * The violation catalogue: Arabic and English titles as drivers read them, amounts in fils
 * (1 KWD = 1000 fils) and demerit points. Seeded by migration; changes are new migrations.
 */
export interface ViolationTypeSeed {
  code: string;
  titleAr: string;
  titleEn: string;
  amountMinor: number;
  points: number;
}

export const VIOLATION_TYPES: ViolationTypeSeed[] = [
  { code: 'SPD-10', titleAr: 'تجاوز السرعة المقررة بما لا يزيد على 20 كم/س', titleEn: 'Speeding up to 20 km/h over the limit', amountMinor: 20000, points: 1 },
  { code: 'SPD-20', titleAr: 'تجاوز السرعة المقررة من 21 إلى 40 كم/س', titleEn: 'Speeding 21 to 40 km/h over the limit', amountMinor: 40000, points: 2 },
  { code: 'SPD-40', titleAr: 'تجاوز السرعة المقررة من 41 إلى 60 كم/س', titleEn: 'Speeding 41 to 60 km/h over the limit', amountMinor: 70000, points: 3 },
  { code: 'SPD-60', titleAr: 'تجاوز السرعة المقررة بأكثر من 60 كم/س', titleEn: 'Speeding more than 60 km/h over the limit', amountMinor: 150000, points: 4 },
  { code: 'RED-LIGHT', titleAr: 'تجاوز الإشارة الضوئية الحمراء', titleEn: 'Running a red light', amountMinor: 150000, points: 4 },
  { code: 'WRONG-DIR', titleAr: 'السير عكس الاتجاه', titleEn: 'Driving against the direction of traffic', amountMinor: 100000, points: 4 },
  { code: 'PHONE', titleAr: 'استخدام الهاتف النقال باليد أثناء القيادة', titleEn: 'Using a hand-held phone while driving', amountMinor: 75000, points: 2 },
  { code: 'SEAT-BELT', titleAr: 'عدم ربط حزام الأمان', titleEn: 'Not wearing a seat belt', amountMinor: 30000, points: 1 },
  { code: 'CHILD-SEAT', titleAr: 'عدم استخدام مقعد الأطفال', titleEn: 'Child not in a child seat', amountMinor: 30000, points: 1 },
  { code: 'NO-PARK', titleAr: 'الوقوف في الأماكن الممنوع الوقوف فيها', titleEn: 'Parking where parking is prohibited', amountMinor: 15000, points: 0 },
  {
    code: 'DISABLED-PARK',
    titleAr: 'الوقوف في المواقف المخصصة لذوي الإعاقة',
    titleEn: 'Parking in a space reserved for people with disabilities',
    amountMinor: 150000,
    points: 2,
  },
  { code: 'DOUBLE-PARK', titleAr: 'الوقوف المزدوج', titleEn: 'Double parking', amountMinor: 15000, points: 0 },
  {
    code: 'OVERLOAD',
    titleAr: 'تحميل المركبة بأكثر من الحمولة المقررة',
    titleEn: 'Overloading the vehicle beyond its permitted load',
    amountMinor: 50000,
    points: 2,
  },
  { code: 'BARRIER', titleAr: 'تخطي الحواجز المرورية', titleEn: 'Crossing a traffic barrier', amountMinor: 50000, points: 2 },
  { code: 'LOAD-ROAD', titleAr: 'التحميل أو التنزيل في الطريق العام', titleEn: 'Loading or unloading on a public road', amountMinor: 20000, points: 0 },
  { code: 'PLATE-TAMPER', titleAr: 'إزالة أو تغيير أرقام اللوحات المعدنية', titleEn: 'Removing or changing plate numbers', amountMinor: 100000, points: 3 },
  { code: 'OBSTRUCT', titleAr: 'عرقلة حركة المرور عمدًا', titleEn: 'Deliberately obstructing traffic', amountMinor: 50000, points: 2 },
  { code: 'NOISE', titleAr: 'إحداث أصوات مزعجة أو ضوضاء من المركبة', titleEn: 'Loud noise from the vehicle', amountMinor: 30000, points: 1 },
  { code: 'ROAD-DAMAGE', titleAr: 'إتلاف المنشآت أو التجهيزات المرورية', titleEn: 'Damaging road fixtures', amountMinor: 75000, points: 2 },
  { code: 'HIGH-BEAM', titleAr: 'استعمال الأضواء العالية بصورة مستمرة', titleEn: 'Persistent use of high beams', amountMinor: 15000, points: 0 },
  { code: 'TINT', titleAr: 'تظليل زجاج المركبة بما يخالف المواصفات', titleEn: 'Window tint beyond the permitted level', amountMinor: 30000, points: 0 },
  { code: 'NO-LICENCE', titleAr: 'القيادة بدون رخصة قيادة', titleEn: 'Driving without a driving licence', amountMinor: 75000, points: 3 },
  { code: 'EXPIRED-REG', titleAr: 'قيادة مركبة انتهت دفتر ترخيصها', titleEn: 'Driving a vehicle with expired registration', amountMinor: 30000, points: 1 },
  { code: 'RECKLESS', titleAr: 'القيادة بتهور أو بطريقة تعرض الأرواح للخطر', titleEn: 'Reckless driving endangering lives', amountMinor: 150000, points: 4 },
  {
    code: 'EMERGENCY-LANE',
    titleAr: 'السير على كتف الطريق (حارة الطوارئ)',
    titleEn: 'Driving on the hard shoulder (emergency lane)',
    amountMinor: 50000,
    points: 2,
  },
  {
    code: 'NO-GIVE-WAY',
    titleAr: 'عدم إعطاء الأولوية للمشاة أو للمركبات',
    titleEn: 'Failing to give way to pedestrians or vehicles',
    amountMinor: 30000,
    points: 1,
  },
  { code: 'U-TURN', titleAr: 'الدوران للخلف في مكان ممنوع', titleEn: 'U-turn where prohibited', amountMinor: 20000, points: 1 },
  {
    code: 'LANE-CHANGE',
    titleAr: 'تغيير المسار بشكل مفاجئ دون إعطاء إشارة',
    titleEn: 'Changing lanes suddenly without signalling',
    amountMinor: 20000,
    points: 1,
  },
  { code: 'TAILGATE', titleAr: 'عدم ترك مسافة أمان كافية', titleEn: 'Tailgating: not keeping a safe distance', amountMinor: 20000, points: 1 },
  { code: 'NO-INSURANCE', titleAr: 'قيادة مركبة غير مؤمن عليها', titleEn: 'Driving an uninsured vehicle', amountMinor: 50000, points: 2 },
];
