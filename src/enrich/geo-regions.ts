// Maps a subdivision NAME, as DB-IP lite stores it ("Bavaria", "State of Berlin", "Île-de-France"),
// to its ISO 3166-2 code ("DE-BY"). DB-IP carries no codes, and its names mix English, local and
// historic spellings, so the index joins two permissive name lists and a few hand-checked aliases:
//   - iso-3166 (MIT): every ISO 3166-2 code with its local name and its parent, so top-level
//     subdivisions can win over districts that share a name (Madrid the community vs the province);
//   - cldr-subdivisions-full (Unicode-3.0): English display names for the same codes.
// Names that match nothing give '' rather than a guess.
import { createRequire } from 'node:module';
import { iso31662 } from 'iso-3166/2.js';

export type RegionResolver = (country: string, name: string) => string;

// DB-IP names that neither list spells the same way, checked by hand against ISO 3166-2.
// Historic French regions point to the region that absorbed them in 2016. Only codes the
// iso-3166 list knows are allowed here (a test checks it).
const ALIASES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  AR: { 'Buenos Aires F.D.': 'C' },
  AZ: { Baki: 'BA' },
  BA: { 'Federation of B&H': 'BIH', Srpska: 'SRP' },
  BE: { 'Brussels Capital': 'BRU', Flanders: 'VLG', Wallonia: 'WAL' },
  BG: { 'Sofia-grad': '22' },
  BY: { 'Minsk City': 'HM' },
  CH: { 'Saint Gall': 'SG', Grisons: 'GR', 'Basel-City': 'BS' },
  CI: { 'Abidjan Autonomous District': 'AB' },
  CO: { 'Bogota D.C.': 'DC' },
  CZ: {
    Prague: '10',
    'Hlavni mesto Praha': '10',
    'Central Bohemia': '20',
    'South Bohemian Region': '31',
    'Plzen Region': '32',
    'Carlsbad Region': '41',
    'Usti nad Labem Region': '42',
    'Liberec Region': '51',
    'Hradec Kralove Region': '52',
    'Pardubice Region': '53',
    Vysocina: '63',
    'South Moravian': '64',
    'Olomouc Region': '71',
    Zlin: '72',
    'Moravian-Silesian Region': '80',
  },
  DK: {
    'North Denmark': '81',
    'Central Jutland': '82',
    'South Denmark': '83',
    'Capital Region': '84',
    Zealand: '85',
  },
  DO: { Nacional: '01' },
  ES: {
    Madrid: 'MD',
    Valencia: 'VC',
    Murcia: 'MC',
    Navarre: 'NC',
    'Castille and Leon': 'CL',
    'Castille-La Mancha': 'CM',
  },
  FI: { 'North Ostrobothnia': '14', 'North Savo': '15', 'South Ostrobothnia': '03', Tampere: '11' },
  FR: {
    'Rhone-Alpes': 'ARA',
    Auvergne: 'ARA',
    'New Aquitaine': 'NAQ',
    Aquitaine: 'NAQ',
    Limousin: 'NAQ',
    'Poitou-Charentes': 'NAQ',
    Normandy: 'NOR',
    'Upper Normandy': 'NOR',
    'Lower Normandy': 'NOR',
    Bourgogne: 'BFC',
    Burgundy: 'BFC',
    'Franche-Comte': 'BFC',
    Provence: 'PAC',
    Corsica: '20R',
    Alsace: 'GES',
    Lorraine: 'GES',
    'Champagne-Ardenne': 'GES',
    'Nord-Pas-de-Calais': 'HDF',
    Picardy: 'HDF',
    'Languedoc-Roussillon': 'OCC',
    'Midi-Pyrenees': 'OCC',
    Centre: 'CVL',
  },
  GE: { "T'bilisi": 'TB' },
  HR: { 'City of Zagreb': '21' },
  IT: { 'Trentino-Alto Adige': '32', 'The Marches': '57', Basilicate: '77' },
  PE: { 'Lima Province': 'LMA' },
  PL: { 'Lodz Voivodeship': '10', Podlasie: '20' },
  RU: { 'Moscow Oblast': 'MOS', 'St.-Petersburg': 'SPE', Primorye: 'PRI', 'Khanty-Mansia': 'KHM' },
  SA: { 'Mecca Region': '02' },
  UA: {
    Vinnytsia: '05',
    Dnipropetrovsk: '12',
    Zhytomyr: '18',
    'Ivano-Frankivsk': '26',
    Lviv: '46',
    Mykolaiv: '48',
    Odesa: '51',
    Poltava: '53',
    "Kharkivs'ka Oblast'": '63',
    Cherkasy: '71',
  },
  VE: { 'Distrito Federal': 'A' },
  VN: { 'Ho Chi Minh City (HCMC)': 'SG' },
};

/** Aliases as full ISO 3166-2 codes, for the test that checks each one exists. */
export function aliasCodes(): string[] {
  return Object.entries(ALIASES).flatMap(([cc, names]) => Object.values(names).map((c) => `${cc}-${c}`));
}

// Letters that NFD does not split into base + mark, spelled the way English sources do.
const FOLD: Readonly<Record<string, string>> = {
  ø: 'o',
  æ: 'ae',
  œ: 'oe',
  ł: 'l',
  đ: 'd',
  ß: 'ss',
  ı: 'i',
  þ: 'th',
};

function normalize(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[øæœłđßıþ]/g, (c) => FOLD[c] ?? c)
    .replace(/['’`ʼ]/g, '')
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .replace(/\bst\b/g, 'saint');
}

// Words that DB-IP and the name lists add or drop around the same name ("Lodz Voivodeship",
// "Gyeonggi-do", "Free and Hanseatic City of Hamburg"). Stripped only for a second, looser match.
const AFFIX =
  /^(?:the|state of|city of|free and hanseatic city of|free hanseatic city of|city state|province of|autonomous community of|republic of|region of|region) |(?: county| province| region| oblast| voivodeship| prefecture| district| governorate| department| division| state| city| municipality| canton| do| krai| kraj| kray| republic| territory| sheng| shi| zizhiqu)$/g;

function loosen(normalized: string): string {
  let prev: string;
  let s = normalized;
  do {
    prev = s;
    s = s.replace(AFFIX, '').trim();
  } while (s !== prev && s !== '');
  return s === '' ? normalized : s;
}

interface Level {
  exact: Map<string, string>;
  // null marks a loose key that two different codes share: no answer beats a wrong one.
  loose: Map<string, string | null>;
}

function add(level: Level, country: string, name: string, code: string): void {
  const n = normalize(name);
  if (n === '') return;
  const exactKey = `${country}|${n}`;
  if (!level.exact.has(exactKey)) level.exact.set(exactKey, code);
  const looseKey = `${country}|${loosen(n)}`;
  const prev = level.loose.get(looseKey);
  if (prev === undefined) level.loose.set(looseKey, code);
  else if (prev !== code) level.loose.set(looseKey, null);
}

function englishNames(): Record<string, string> {
  // JSON read at open time rather than imported, so the ~160 KB table stays out of module
  // start-up for deployments that pass a GeoLite2 file (which carries codes itself).
  const require = createRequire(import.meta.url);
  const doc: unknown = require('cldr-subdivisions-full/subdivisions/en/en.json');
  const table = (doc as { subdivisions?: { localeDisplayNames?: { subdivisions?: unknown } } })?.subdivisions
    ?.localeDisplayNames?.subdivisions;
  if (table === null || typeof table !== 'object') return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(table)) if (typeof v === 'string') out[k] = v;
  return out;
}

// Countries whose CLDR names are cut short or mixed (Estonia's "Harju" beside "Tartumaa"):
// their ISO names are what people there and Plausible's dashboards use ("Harjumaa").
const ISO_NAMED_COUNTRIES = new Set(['EE']);
// English names where CLDR's read wrongly ("Prague, Hlavní mešto"), as Plausible shows them.
const ENGLISH_NAMES: Readonly<Record<string, string>> = {
  'CZ-10': 'Prague',
  'CZ-20': 'Central Bohemia',
  'CZ-31': 'South Bohemia',
  'CZ-32': 'Plzeň',
  'CZ-41': 'Karlovy Vary',
  'CZ-42': 'Ústí nad Labem',
  'CZ-51': 'Liberec',
  'CZ-52': 'Hradec Králové',
  'CZ-53': 'Pardubice',
  'CZ-63': 'Vysočina',
  'CZ-64': 'South Moravia',
  'CZ-71': 'Olomouc',
  'CZ-72': 'Zlín',
  'CZ-80': 'Moravia-Silesia',
  'FI-01': 'Åland',
  'FI-06': 'Kanta-Häme',
  'FI-16': 'Päijät-Häme',
  'RU-YEV': 'Jewish Autonomous Oblast',
};

/**
 * Display names of ISO 3166-2 subdivisions ("DE-BY" → "Bavaria"): CLDR's English name where
 * it has one, else the ISO list's own, with the exceptions above (the same choices as
 * Plausible's location data). For showing regions, not for resolving them.
 */
export function regionDisplayNames(): Map<string, string> {
  const names = new Map<string, string>();
  for (const e of iso31662) names.set(e.code, e.name);
  for (const [key, name] of Object.entries(englishNames())) {
    const code = `${key.slice(0, 2)}-${key.slice(2)}`.toUpperCase();
    if (ISO_NAMED_COUNTRIES.has(code.slice(0, 2))) continue;
    // CLDR marks a few names with a footnote digit ("Île-de-France²"); it is not part of the name.
    if (names.has(code)) names.set(code, name.replace(/[¹²³⁴-⁹⁰]+$/u, ''));
  }
  for (const [code, name] of Object.entries(ENGLISH_NAMES)) if (names.has(code)) names.set(code, name);
  return names;
}

/** Builds the name index (a few ms, ~1 MB) and returns a memoised resolver. */
export function createRegionResolver(): RegionResolver {
  const top: Level = { exact: new Map(), loose: new Map() };
  const lower: Level = { exact: new Map(), loose: new Map() };
  const levelOf = new Map<string, Level>();
  for (const e of iso31662) {
    const level = e.parent.length === 2 ? top : lower;
    levelOf.set(e.code, level);
  }
  const aliases = new Map<string, string>();
  for (const [cc, names] of Object.entries(ALIASES)) {
    for (const [name, sub] of Object.entries(names)) aliases.set(`${cc}|${normalize(name)}`, `${cc}-${sub}`);
  }
  for (const e of iso31662) {
    const level = levelOf.get(e.code) ?? lower;
    const cc = e.code.slice(0, 2);
    add(level, cc, e.name, e.code);
    // ISO writes some names inverted ("Madrid, Comunidad de"); the head alone is what DB-IP uses.
    const comma = e.name.indexOf(',');
    if (comma > 0) add(level, cc, e.name.slice(0, comma), e.code);
  }
  for (const [key, name] of Object.entries(englishNames())) {
    // CLDR keys are the ISO code lower-cased without the dash: "debe" → "DE-BE".
    const code = `${key.slice(0, 2)}-${key.slice(2)}`.toUpperCase();
    const level = levelOf.get(code);
    if (level !== undefined) add(level, code.slice(0, 2), name, code);
  }

  const memo = new Map<string, string>();
  return (country, name) => {
    if (country === '' || name === '') return '';
    const memoKey = `${country}|${name}`;
    const hit = memo.get(memoKey);
    if (hit !== undefined) return hit;
    const n = normalize(name);
    const key = `${country}|${n}`;
    const looseKey = `${country}|${loosen(n)}`;
    const code =
      aliases.get(key) ??
      top.exact.get(key) ??
      top.loose.get(looseKey) ??
      lower.exact.get(key) ??
      lower.loose.get(looseKey) ??
      '';
    // Bounded by the distinct names in the database (a few thousand), not by traffic.
    if (memo.size < 20_000) memo.set(memoKey, code);
    return code;
  };
}
