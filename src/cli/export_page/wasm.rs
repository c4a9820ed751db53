//! Just enough of the WebAssembly binary format to tell whether a file is a
//! module the exported page can run: the header (`\0asm`, version 1), how many
//! imports it asks for, and the names and kinds of its exports. Sections are
//! walked by their sizes; only the import count and the export section are
//! read (<https://webassembly.github.io/spec/core/binary/modules.html>).

/// What the page needs to know of a module.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Module {
    /// Imports the module asks its host for (the page gives none).
    pub imports: u32,
    /// Exported functions, by name.
    pub functions: Vec<String>,
    /// Exported memories, by name.
    pub memories: Vec<String>,
}

const MAGIC: &[u8; 4] = b"\0asm";
const IMPORT_SECTION: u8 = 2;
const EXPORT_SECTION: u8 = 7;
const FUNCTION_EXPORT: u8 = 0;
const MEMORY_EXPORT: u8 = 2;

/// Reads a module's header, import count and exports; the error says what is
/// wrong, in words for the user.
pub fn read(bytes: &[u8]) -> Result<Module, String> {
    if !bytes.starts_with(MAGIC) {
        return Err(format!(
            "it does not begin with the WebAssembly magic number \\0asm (it is {} bytes of something else)",
            bytes.len()
        ));
    }
    let version = bytes
        .get(4..8)
        .and_then(|v| <[u8; 4]>::try_from(v).ok())
        .map(u32::from_le_bytes)
        .ok_or("it ends within the WebAssembly header")?;
    if version != 1 {
        return Err(format!(
            "it is WebAssembly of binary version {version}; the page needs version 1"
        ));
    }
    let mut module = Module::default();
    let mut reader = Reader { bytes, at: 8 };
    while reader.at < bytes.len() {
        let id = reader.byte()?;
        let size = reader.u32()? as usize;
        let end = reader
            .at
            .checked_add(size)
            .filter(|end| *end <= bytes.len());
        let end = end.ok_or("it ends within a section (is the file cut off?)")?;
        let mut section = Reader {
            bytes: &bytes[..end],
            at: reader.at,
        };
        match id {
            IMPORT_SECTION => module.imports = section.u32()?,
            EXPORT_SECTION => {
                for _ in 0..section.u32()? {
                    let name = section.name()?;
                    let kind = section.byte()?;
                    section.u32()?;
                    match kind {
                        FUNCTION_EXPORT => module.functions.push(name),
                        MEMORY_EXPORT => module.memories.push(name),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
        reader.at = end;
    }
    Ok(module)
}

/// A cursor over a module's bytes; reading past the end is an error.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> Result<u8, String> {
        let byte = *self
            .bytes
            .get(self.at)
            .ok_or("it ends within a section (is the file cut off?)")?;
        self.at += 1;
        Ok(byte)
    }

    /// An unsigned LEB128 number of at most 32 bits (5 bytes).
    fn u32(&mut self) -> Result<u32, String> {
        let mut value = 0u64;
        for shift in (0..35).step_by(7) {
            let byte = self.byte()?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return u32::try_from(value).map_err(|_| "it holds a malformed number".into());
            }
        }
        Err("it holds a malformed number".into())
    }

    fn name(&mut self) -> Result<String, String> {
        let len = self.u32()? as usize;
        let bytes = self
            .at
            .checked_add(len)
            .and_then(|end| self.bytes.get(self.at..end))
            .ok_or("it ends within an export's name (is the file cut off?)")?;
        self.at += len;
        Ok(String::from_utf8_lossy(bytes).into_owned())
    }
}

#[cfg(test)]
pub mod tests {
    use super::*;

    /// A module of the given sections (id and contents).
    pub fn module(sections: &[(u8, Vec<u8>)]) -> Vec<u8> {
        let mut bytes = b"\0asm\x01\0\0\0".to_vec();
        for (id, contents) in sections {
            bytes.push(*id);
            bytes.extend(leb128(contents.len() as u32));
            bytes.extend(contents);
        }
        bytes
    }

    pub fn leb128(mut n: u32) -> Vec<u8> {
        let mut out = Vec::new();
        loop {
            let byte = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                out.push(byte);
                return out;
            }
            out.push(byte | 0x80);
        }
    }

    /// An export section of (name, kind) with made-up indices.
    pub fn exports(exports: &[(&str, u8)]) -> (u8, Vec<u8>) {
        let mut contents = leb128(exports.len() as u32);
        for (i, (name, kind)) in exports.iter().enumerate() {
            contents.extend(leb128(name.len() as u32));
            contents.extend(name.as_bytes());
            contents.push(*kind);
            contents.extend(leb128(300 + i as u32));
        }
        (EXPORT_SECTION, contents)
    }

    #[test]
    fn a_modules_exports_and_imports_are_read() {
        let custom = (0, b"\x04name\x01\x02\x03".to_vec());
        let bytes = module(&[
            custom,
            (IMPORT_SECTION, leb128(2)),
            exports(&[("memory", 2), ("carenet_step", 0), ("__heap_base", 3)]),
        ]);
        assert_eq!(
            read(&bytes),
            Ok(Module {
                imports: 2,
                functions: vec!["carenet_step".into()],
                memories: vec!["memory".into()],
            })
        );
        assert_eq!(read(b"\0asm\x01\0\0\0"), Ok(Module::default()));
        assert_eq!(leb128(624_485), [0xE5, 0x8E, 0x26]);
    }

    #[test]
    fn what_is_not_a_module_is_said_in_words() {
        let e = read(b"PK\x03\x04zip!").unwrap_err();
        assert!(e.contains("magic number"), "{e}");
        assert!(read(b"\0asm\x01").unwrap_err().contains("header"));
        let e = read(b"\0asm\x02\0\0\0").unwrap_err();
        assert!(e.contains("version 2"), "{e}");
        let whole = module(&[exports(&[("carenet_step", 0)])]);
        for cut in 9..whole.len() {
            let e = read(&whole[..cut]).unwrap_err();
            assert!(e.contains("cut off"), "{cut}: {e}");
        }
        let endless = [
            b"\0asm\x01\0\0\0".as_slice(),
            &[7, 0xff, 0xff, 0xff, 0xff, 0xff],
        ]
        .concat();
        assert!(read(&endless).unwrap_err().contains("malformed"));
    }
}
