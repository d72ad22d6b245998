//! The few bytes of the zip format the brat export needs: an archive of Stored (uncompressed)
//! entries, written and read back (PKWARE APPNOTE 6.3, sections 4.3 and 4.4).
//!
//! Written by hand rather than with the `zip` crate: that crate and its CRC tables were about
//! 45 KB of the app's WebAssembly for two files that are never compressed. What is read is what
//! brat users exchange when they keep entries Stored (`zip -0`, or our own export); a
//! compressed, encrypted or ZIP64 entry is refused with a message that says so.

/// Bytes that start every zip file (a local file header).
pub const MAGIC: &[u8; 4] = b"PK\x03\x04";
const CENTRAL_HEADER: u32 = 0x0201_4b50;
const END_OF_CENTRAL_DIRECTORY: u32 = 0x0605_4b50;
/// DOS date 1980-01-01 (the earliest zip can say), so an export is the same bytes every time.
const DOS_DATE_1980_01_01: u16 = (1 << 5) | 1;
/// Bit 11 of the general-purpose flags: names are UTF-8.
const UTF8_NAMES: u16 = 1 << 11;

/// Why an archive could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ZipError {
    /// No end-of-central-directory record, or records that point outside the file.
    #[error("it is not a complete zip archive ({0})")]
    Damaged(&'static str),
    /// An entry is compressed or encrypted.
    #[error("{name} is compressed (method {method}); only uncompressed (stored) entries can be read: re-create the zip with `zip -0`")]
    Compressed {
        /// The entry.
        name: String,
        /// Its compression method number.
        method: u16,
    },
    /// An entry's CRC-32 does not match its bytes.
    #[error("{0} is damaged (its checksum does not match)")]
    Checksum(String),
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

/// An archive of `entries` (name, content), Stored, dated 1980-01-01, in the order given.
pub fn write(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, content) in entries {
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
    size: usize,
    local_header: usize,
}

/// The entries listed in an archive's central directory. O(entries).
pub fn entries(archive: &[u8]) -> Result<Vec<Entry>, ZipError> {
    // The end record is the last 22 bytes plus a comment of up to 65,535 bytes.
    let search_from = archive.len().saturating_sub(22 + 0xffff);
    let end = (search_from..=archive.len().saturating_sub(22))
        .rev()
        .find(|&at| read32(archive, at) == Some(END_OF_CENTRAL_DIRECTORY))
        .ok_or(ZipError::Damaged("no end-of-central-directory record"))?;
    let count = usize::from(read16(archive, end + 10).unwrap_or(0));
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
        let (Some(crc), Some(size), Some(local_header), Some(name)) = (
            read32(record, 16),
            read32(record, 24),
            read32(record, 42),
            record.get(46..46 + name_len),
        ) else {
            return Err(cut_short);
        };
        entries.push(Entry {
            name: String::from_utf8_lossy(name).into_owned(),
            method: method as u16,
            flags: flags as u16,
            crc,
            size: size as usize,
            local_header: local_header as usize,
        });
        at = at.saturating_add(46 + name_len + extra_len + comment_len);
    }
    Ok(entries)
}

/// The bytes of one Stored entry, checked against its CRC-32.
pub fn read<'a>(archive: &'a [u8], entry: &Entry) -> Result<&'a [u8], ZipError> {
    const ENCRYPTED: u16 = 1;
    if entry.method != 0 || entry.flags & ENCRYPTED != 0 {
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
    let bytes = start
        .checked_add(entry.size)
        .and_then(|end| header.get(start..end))
        .ok_or(ZipError::Damaged("an entry's data is cut short"))?;
    if crc32(bytes) != entry.crc {
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
        assert_eq!(read(&archive, &listed[0]).unwrap(), "Zoë 🌊\n".as_bytes());
        assert_eq!(
            read(&archive, &listed[1]).unwrap(),
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
    fn a_compressed_entry_is_refused_by_name() {
        let mut archive = write(&[("a.ann", b"x")]);
        let central = archive.len() - 22 - (46 + 5);
        archive[central + 10] = 8; // deflate
        let listed = entries(&archive).unwrap();
        assert!(matches!(
            read(&archive, &listed[0]),
            Err(ZipError::Compressed { method: 8, .. })
        ));
    }
}
