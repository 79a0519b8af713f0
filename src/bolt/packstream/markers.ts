/** PackStream v1 marker bytes (shared by reader and writer). */
export const enum Marker {
  TinyStringBase = 0x80,
  TinyListBase = 0x90,
  TinyMapBase = 0xa0,
  TinyStructBase = 0xb0,
  Null = 0xc0,
  Float64 = 0xc1,
  False = 0xc2,
  True = 0xc3,
  Int8 = 0xc8,
  Int16 = 0xc9,
  Int32 = 0xca,
  Int64 = 0xcb,
  Bytes8 = 0xcc,
  Bytes16 = 0xcd,
  Bytes32 = 0xce,
  String8 = 0xd0,
  String16 = 0xd1,
  String32 = 0xd2,
  List8 = 0xd4,
  List16 = 0xd5,
  List32 = 0xd6,
  Map8 = 0xd8,
  Map16 = 0xd9,
  Map32 = 0xda,
  Struct8 = 0xdc,
  Struct16 = 0xdd,
  /** Bolt 6.1 UUID: 16 raw bytes follow. */
  Uuid = 0xe0,
}

/** Sizes above this are refused even where a u32 could carry them (PackStream rule). */
export const PACKSTREAM_SIZE_MAX = 0x7fffffff;
