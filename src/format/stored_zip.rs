//! The few bytes of the zip format our exports and imports need (PKWARE APPNOTE 6.3, sections
//! 4.3 and 4.4): archives of Stored (uncompressed) entries are written, and archives of Stored
//! or Deflate entries are read, as `zip`, Finder, Windows and Python's `zipfile` write them.
//!
//! The container is written and parsed by hand rather than with the `zip` crate: that crate
//! and its CRC tables were about 45 KB of the app's WebAssembly for two files that are never
//! compressed. Deflate is inflated by `miniz_oxide` (inflate only), which cost far less gzipped
//! wasm than the `zip` crate's `deflate` feature (the figures are in Cargo.toml). Encrypted,
//! ZIP64 and other compression methods are refused with a message that says so.
//!
//! A zip is read defensively, since one can claim anything: at most [`MAX_ENTRIES`] entries,
//! names of at most [`MAX_NAME_BYTES`] bytes, [`MAX_TOTAL_BYTES`] uncompressed in all, no entry
//! inflating more than [`MAX_RATIO`] times its compressed size (a zip bomb), and no two
//! directory records pointing at one entry (which would multiply one entry's cost). Each entry
//! is inflated with its declared size as the limit, so a size that lies is caught, not
//! followed. Names we write are made safe first ([`safe_name`]).

use std::borrow::Cow;

/// Bytes that start every zip file (a local file header).
pub const MAGIC: &[u8; 4] = b"PK\x03\x04";
const CENTRAL_HEADER: u32 = 0x0201_4b50;
const END_OF_CENTRAL_DIRECTORY: u32 = 0x0605_4b50;
/// DOS date 1980-01-01 (the earliest zip can say), so an export is the same bytes every time.
const DOS_DATE_1980_01_01: u16 = (1 << 5) | 1;
/// Bit 11 of the general-purpose flags: names are UTF-8.
const UTF8_NAMES: u16 = 1 << 11;

/// The most entries an archive may list.
pub const MAX_ENTRIES: usize = 10_000;
/// The longest entry name read, in bytes (a path of folders and a file name).
pub const MAX_NAME_BYTES: usize = 1024;
/// The most bytes all entries may hold once uncompressed (256 MiB): well above sixteen 16 MB
/// documents, well below what a browser tab can hold.
pub const MAX_TOTAL_BYTES: u64 = 256 * 1024 * 1024;
/// The most an entry may grow when inflated. Text deflates to a third or a tenth; a ratio in
/// the hundreds is a zip bomb. Entries under [`RATIO_FREE_BYTES`] are not checked (a small
/// file of one repeated character compresses further without harm).
pub const MAX_RATIO: u64 = 200;
/// Entries up to this size (1 MiB) may have any ratio.
pub const RATIO_FREE_BYTES: u64 = 1024 * 1024;
/// The longest name we write, in code points (a common file system limit).
pub const MAX_WRITTEN_NAME_CHARS: usize = 255;

/// Compression method numbers (APPNOTE 4.4.5).
const STORED: u16 = 0;
const DEFLATE: u16 = 8;

/// Why an archive could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ZipError {
    /// No end-of-central-directory record, or records that point outside the file.
    #[error("it is not a complete zip archive ({0})")]
    Damaged(&'static str),
    /// An entry is encrypted, or compressed by a method other than Deflate.
    #[error("{name} is compressed with method {method}; only uncompressed (stored) and Deflate entries can be read: re-create the zip with an ordinary zip tool")]
    Compressed {
        /// The entry.
        name: String,
        /// Its compression method number.
        method: u16,
    },
    /// An entry's CRC-32 does not match its bytes.
    #[error("{0} is damaged (its checksum does not match)")]
    Checksum(String),
    /// An entry's compressed data cannot be inflated, or inflates to another size than the
    /// directory says.
    #[error("{0} is damaged (its compressed data does not inflate to its recorded size)")]
    Inflate(String),
    /// More entries than [`MAX_ENTRIES`].
    #[error("it lists {0} entries; at most {MAX_ENTRIES} can be read")]
    TooManyEntries(usize),
    /// An entry name longer than [`MAX_NAME_BYTES`].
    #[error(
        "an entry's name is {0} bytes long; names of at most {MAX_NAME_BYTES} bytes can be read"
    )]
    NameTooLong(usize),
    /// The entries would hold more than [`MAX_TOTAL_BYTES`] uncompressed.
    #[error("its entries hold {} MB uncompressed; at most {} MB can be read", .0 / (1024 * 1024), MAX_TOTAL_BYTES / (1024 * 1024))]
    TooLarge(u64),
    /// An entry inflates more than [`MAX_RATIO`] times its size: a zip bomb.
    #[error("{name} would inflate {ratio} times its compressed size (at most {MAX_RATIO} is read): it looks like a zip bomb")]
    Ratio {
        /// The entry.
        name: String,
        /// Its uncompressed size over its compressed size.
        ratio: u64,
    },
    /// Two directory records point at one entry.
    #[error("two directory records point at the entry {0}; the archive is malformed or hostile")]
    DuplicateRecord(String),
}

/// The longest stem of a name we write: room is left for the longest extension an export
/// adds (`.label-studio.json`) and a `-N` suffix.
pub const MAX_STEM_CHARS: usize = MAX_WRITTEN_NAME_CHARS - 32;

/// A stem (a name without its extension) made safe as [`safe_name`] does, and cut to
/// [`MAX_STEM_CHARS`] code points, so the file names made from it stay within
/// [`MAX_WRITTEN_NAME_CHARS`] and are never cut again (which could make two of them equal).
pub fn safe_stem(stem: &str) -> String {
    safe_name(stem).chars().take(MAX_STEM_CHARS).collect()
}

/// A name safe to write into a zip or offer as a download: never a path (`/` and `\` become
/// `_`), never `.` or `..` or hidden (a leading `.` becomes `_`), no control characters, and
/// at most [`MAX_WRITTEN_NAME_CHARS`] code points, cut before the extension so it stays.
pub fn safe_name(name: &str) -> String {
    let mut safe: String = name
        .chars()
        .map(|c| {
            if c == '/' || c == '\\' || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    if safe.starts_with('.') {
        safe.replace_range(..1, "_");
    }
    if safe.is_empty() {
        safe.push('_');
    }
    let length = safe.chars().count();
    if length > MAX_WRITTEN_NAME_CHARS {
        // Keep the extension (up to 32 code points of it): `very-long….marginalia.json`.
        let extension_at = safe
            .char_indices()
            .filter(|(_, c)| *c == '.')
            .map(|(i, _)| i)
            .find(|&i| safe[i..].chars().count() <= 32)
            .unwrap_or(safe.len());
        let extension = safe[extension_at..].to_owned();
        let keep = MAX_WRITTEN_NAME_CHARS - extension.chars().count();
        safe = safe.chars().take(keep).collect::<String>() + &extension;
    }
    safe
}

/// CRC-32 (IEEE 802.3, reflected, as zip uses it), one table lookup per byte.
pub fn crc32(bytes: &[u8]) -> u32 {
    const TABLE: [u32; 256] = {
        let mut table = [0u32; 256];
        let mut i = 0;
        while i < 256 {
            let mut crc = i as u32;
            let mut bit = 0;
            while bit < 8 {
                crc = if crc & 1 == 1 {
                    0xedb8_8320 ^ (crc >> 1)
                } else {
                    crc >> 1
                };
                bit += 1;
            }
            table[i] = crc;
            i += 1;
        }
        table
    };
    !bytes.iter().fold(!0u32, |crc, &byte| {
        TABLE[((crc ^ u32::from(byte)) & 0xff) as usize] ^ (crc >> 8)
    })
}

/// An archive of `entries` (name, content), Stored, dated 1980-01-01, in the order given; each
/// name is written as [`safe_name`] makes it.
pub fn write(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, content) in entries {
        let name = safe_name(name);
        let offset = out.len() as u32;
        let (crc, size) = (crc32(content), content.len() as u32);
        // Local file header: version needed 1.0, flags, method 0 (stored), time 0, date, CRC,
        // sizes, name length, extra length.
        put32(&mut out, u32::from_le_bytes(*MAGIC));
        for field in [10, UTF8_NAMES, 0, 0, DOS_DATE_1980_01_01] {
            put16(&mut out, field);
        }
        for field in [crc, size, size] {
            put32(&mut out, field);
        }
        put16(&mut out, name.len() as u16);
        put16(&mut out, 0);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(content);
        // Central directory header: made by 2.0 (MS-DOS), the same fields, then comment length,
        // disk number, internal and external attributes, and where the local header is.
        put32(&mut central, CENTRAL_HEADER);
        for field in [20, 10, UTF8_NAMES, 0, 0, DOS_DATE_1980_01_01] {
            put16(&mut central, field);
        }
        for field in [crc, size, size] {
            put32(&mut central, field);
        }
        for field in [name.len() as u16, 0, 0, 0, 0] {
            put16(&mut central, field);
        }
        put32(&mut central, 0);
        put32(&mut central, offset);
        central.extend_from_slice(name.as_bytes());
    }
    let central_offset = out.len() as u32;
    out.extend_from_slice(&central);
    put32(&mut out, END_OF_CENTRAL_DIRECTORY);
    for field in [0, 0, entries.len() as u16, entries.len() as u16] {
        put16(&mut out, field);
    }
    put32(&mut out, central.len() as u32);
    put32(&mut out, central_offset);
    put16(&mut out, 0);
    out
}

/// One entry of an archive: its name and where its bytes are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The entry's path inside the archive.
    pub name: String,
    method: u16,
    flags: u16,
    crc: u32,
    compressed_size: usize,
    size: usize,
    local_header: usize,
}

/// The entries listed in an archive's central directory, checked against the limits in the
/// module doc (count, name length, total and per-entry inflated size, one record per entry).
/// O(entries).
pub fn entries(archive: &[u8]) -> Result<Vec<Entry>, ZipError> {
    // The end record is the last 22 bytes plus a comment of up to 65,535 bytes.
    let search_from = archive.len().saturating_sub(22 + 0xffff);
    let end = (search_from..=archive.len().saturating_sub(22))
        .rev()
        .find(|&at| read32(archive, at) == Some(END_OF_CENTRAL_DIRECTORY))
        .ok_or(ZipError::Damaged("no end-of-central-directory record"))?;
    let count = usize::from(read16(archive, end + 10).unwrap_or(0));
    if count > MAX_ENTRIES {
        return Err(ZipError::TooManyEntries(count));
    }
    let mut local_headers = std::collections::HashSet::with_capacity(count);
    let mut total: u64 = 0;
    let mut at = read32(archive, end + 16).map_or(usize::MAX, |at| at as usize);
    let mut entries = Vec::with_capacity(count.min(1024));
    for _ in 0..count {
        // Offsets inside one record are small; the record's own place is checked by `get`.
        let record = archive.get(at..).unwrap_or_default();
        if read32(record, 0) != Some(CENTRAL_HEADER) {
            return Err(ZipError::Damaged("a central directory entry is missing"));
        }
        let field16 = |offset: usize| read16(record, offset).map(usize::from);
        let cut_short = ZipError::Damaged("a central directory entry is cut short");
        let (Some(flags), Some(method), Some(name_len), Some(extra_len), Some(comment_len)) = (
            field16(8),
            field16(10),
            field16(28),
            field16(30),
            field16(32),
        ) else {
            return Err(cut_short);
        };
        if name_len > MAX_NAME_BYTES {
            return Err(ZipError::NameTooLong(name_len));
        }
        let (Some(crc), Some(compressed_size), Some(size), Some(local_header), Some(name)) = (
            read32(record, 16),
            read32(record, 20),
            read32(record, 24),
            read32(record, 42),
            record.get(46..46 + name_len),
        ) else {
            return Err(cut_short);
        };
        let name = String::from_utf8_lossy(name).into_owned();
        if !local_headers.insert(local_header) {
            return Err(ZipError::DuplicateRecord(name));
        }
        total += u64::from(size);
        if total > MAX_TOTAL_BYTES {
            return Err(ZipError::TooLarge(total));
        }
        let (size, compressed) = (u64::from(size), u64::from(compressed_size));
        if size > RATIO_FREE_BYTES && size > compressed.saturating_mul(MAX_RATIO) {
            return Err(ZipError::Ratio {
                ratio: size / compressed.max(1),
                name,
            });
        }
        entries.push(Entry {
            name,
            method: method as u16,
            flags: flags as u16,
            crc,
            compressed_size: compressed_size as usize,
            size: size as usize,
            local_header: local_header as usize,
        });
        at = at.saturating_add(46 + name_len + extra_len + comment_len);
    }
    Ok(entries)
}

/// The bytes of one entry (Stored, or inflated from Deflate), checked against its CRC-32.
/// Inflating stops at the entry's recorded size. O(entry).
pub fn read<'a>(archive: &'a [u8], entry: &Entry) -> Result<Cow<'a, [u8]>, ZipError> {
    const ENCRYPTED: u16 = 1;
    if !matches!(entry.method, STORED | DEFLATE) || entry.flags & ENCRYPTED != 0 {
        return Err(ZipError::Compressed {
            name: entry.name.clone(),
            method: entry.method,
        });
    }
    let header = archive.get(entry.local_header..).unwrap_or_default();
    if read32(header, 0) != Some(u32::from_le_bytes(*MAGIC)) {
        return Err(ZipError::Damaged("an entry's local header is missing"));
    }
    let (Some(name_len), Some(extra_len)) = (read16(header, 26), read16(header, 28)) else {
        return Err(ZipError::Damaged("an entry's local header is cut short"));
    };
    let start = 30 + usize::from(name_len) + usize::from(extra_len);
    let stored_size = if entry.method == STORED {
        entry.size
    } else {
        entry.compressed_size
    };
    let data = start
        .checked_add(stored_size)
        .and_then(|end| header.get(start..end))
        .ok_or(ZipError::Damaged("an entry's data is cut short"))?;
    let bytes = if entry.method == STORED {
        Cow::Borrowed(data)
    } else {
        let inflated = miniz_oxide::inflate::decompress_to_vec_with_limit(data, entry.size.max(1))
            .map_err(|_| ZipError::Inflate(entry.name.clone()))?;
        if inflated.len() != entry.size {
            return Err(ZipError::Inflate(entry.name.clone()));
        }
        Cow::Owned(inflated)
    };
    if crc32(&bytes) != entry.crc {
        return Err(ZipError::Checksum(entry.name.clone()));
    }
    Ok(bytes)
}

fn put16(out: &mut Vec<u8>, value: u16) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, value: u32) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn read16(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(
        bytes.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}

fn read32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        bytes.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_matches_the_standard_check_value() {
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn written_entries_read_back_byte_for_byte() {
        let archive = write(&[
            ("doc.txt", "Zoë 🌊\n".as_bytes()),
            ("doc.ann", b"T1\tClaim 0 3\tZo\xc3\xab\n"),
        ]);
        assert!(archive.starts_with(MAGIC));
        let listed = entries(&archive).unwrap();
        let names: Vec<&str> = listed.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["doc.txt", "doc.ann"]);
        assert_eq!(
            read(&archive, &listed[0]).unwrap().as_ref(),
            "Zoë 🌊\n".as_bytes()
        );
        assert_eq!(
            read(&archive, &listed[1]).unwrap().as_ref(),
            b"T1\tClaim 0 3\tZo\xc3\xab\n"
        );
    }

    #[test]
    fn damage_is_reported_not_panicked_on() {
        let archive = write(&[("a.ann", b"T1\tClaim 0 1\tx\n")]);
        for cut in 0..archive.len() {
            let truncated = &archive[..cut];
            for entry in entries(truncated).unwrap_or_default() {
                let _ = read(truncated, &entry);
            }
        }
        let mut flipped = archive.clone();
        flipped[30 + 5] ^= 0xff; // a byte of the entry's data
        let listed = entries(&flipped).unwrap();
        assert_eq!(
            read(&flipped, &listed[0]),
            Err(ZipError::Checksum("a.ann".into()))
        );
        assert!(matches!(
            entries(b"PK\x03\x04 not really"),
            Err(ZipError::Damaged(_))
        ));
    }

    #[test]
    fn an_entry_of_another_method_is_refused_by_name() {
        let mut archive = write(&[("a.ann", b"x")]);
        let central = archive.len() - 22 - (46 + 5);
        archive[central + 10] = 12; // bzip2
        let listed = entries(&archive).unwrap();
        assert!(matches!(
            read(&archive, &listed[0]),
            Err(ZipError::Compressed { method: 12, .. })
        ));
    }

    /// An archive of one Deflate entry, laid out as zip tools write it.
    fn deflated(name: &str, content: &[u8]) -> Vec<u8> {
        let data = miniz_oxide::deflate::compress_to_vec(content, 6);
        let mut archive = write(&[(name, &data)]);
        // Turn the Stored entry into a Deflate one: method, CRC and sizes of the content.
        let central = archive.len() - 22 - (46 + name.len());
        for header in [0, central] {
            let (method, crc, sizes) = if header == 0 {
                (8, 14, 18)
            } else {
                (10, 16, 20)
            };
            archive[header + method..header + method + 2].copy_from_slice(&8u16.to_le_bytes());
            archive[header + crc..header + crc + 4].copy_from_slice(&crc32(content).to_le_bytes());
            let size = (content.len() as u32).to_le_bytes();
            archive[header + sizes + 4..header + sizes + 8].copy_from_slice(&size);
        }
        archive
    }

    #[test]
    fn deflate_entries_read_like_stored_ones() {
        let text = "Zoë 🌊 said the tide is rising. ".repeat(40);
        let archive = deflated("doc.txt", text.as_bytes());
        let listed = entries(&archive).unwrap();
        assert!(listed[0].compressed_size < text.len());
        assert_eq!(
            read(&archive, &listed[0]).unwrap().as_ref(),
            text.as_bytes()
        );
        // A size that lies is caught, not followed.
        let mut lying = archive.clone();
        let central = lying.len() - 22 - (46 + 7);
        lying[central + 24..central + 28].copy_from_slice(&10u32.to_le_bytes());
        let listed = entries(&lying).unwrap();
        assert_eq!(
            read(&lying, &listed[0]),
            Err(ZipError::Inflate("doc.txt".into()))
        );
    }

    #[test]
    fn a_zip_bomb_is_refused_before_anything_is_inflated() {
        let zeros = vec![0u8; 4 * 1024 * 1024];
        let archive = deflated("bomb.txt", &zeros);
        assert!(matches!(
            entries(&archive),
            Err(ZipError::Ratio { ref name, ratio }) if name == "bomb.txt" && ratio > MAX_RATIO
        ));
        // A small file of one repeated character is not a bomb.
        let small = deflated("a.txt", &[b'a'; 10_000]);
        assert!(entries(&small).is_ok());
    }

    #[test]
    fn many_records_for_one_entry_and_other_excesses_are_refused_by_limit() {
        let archive = write(&[("a.ann", b"x"), ("b.ann", b"y")]);
        // Point the second record at the first entry.
        let second = archive.len() - 22 - (46 + 5);
        let mut twice = archive.clone();
        twice[second + 42..second + 46].copy_from_slice(&0u32.to_le_bytes());
        assert_eq!(
            entries(&twice),
            Err(ZipError::DuplicateRecord("b.ann".into()))
        );
        let end = archive.len() - 22;
        let mut many = archive.clone();
        many[end + 10..end + 12].copy_from_slice(&65_535u16.to_le_bytes());
        assert_eq!(entries(&many), Err(ZipError::TooManyEntries(65_535)));
        let mut long_name = archive.clone();
        long_name[second + 28..second + 30].copy_from_slice(&5000u16.to_le_bytes());
        assert_eq!(entries(&long_name), Err(ZipError::NameTooLong(5000)));
        let mut huge = archive;
        huge[second + 24..second + 28].copy_from_slice(&u32::MAX.to_le_bytes());
        huge[second + 20..second + 24].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(matches!(entries(&huge), Err(ZipError::TooLarge(_))));
        let message = ZipError::TooLarge(300 * 1024 * 1024).to_string();
        assert_eq!(
            message,
            "its entries hold 300 MB uncompressed; at most 256 MB can be read"
        );
    }

    #[test]
    fn names_we_write_never_leave_their_folder_and_stay_short() {
        assert_eq!(safe_name("../../etc/passwd"), "_._.._etc_passwd");
        assert_eq!(safe_name("a\\b/c.txt"), "a_b_c.txt");
        assert_eq!(safe_name(".."), "_.");
        assert_eq!(safe_name(""), "_");
        assert_eq!(safe_name("tab\there.ann"), "tab_here.ann");
        let long = format!("{}.marginalia.json", "x".repeat(70_000));
        let safe = safe_name(&long);
        assert_eq!(safe.chars().count(), MAX_WRITTEN_NAME_CHARS);
        assert!(safe.ends_with("x.marginalia.json"));
        // A written archive of such a name reads back with the safe name.
        let archive = write(&[(long.as_str(), b"{}")]);
        assert_eq!(entries(&archive).unwrap()[0].name, safe);
    }
}
