//! The `--out` bundle of a format as one zip file, for the download button: the same files
//! `ecs-iam render --format F --out DIR` writes, scripts marked executable.
//!
//! Written by hand: a stored (uncompressed) zip is three fixed headers and a CRC-32, while the
//! `zip` crate added ~6 KB gzipped to the app's wasm. The tests read every bundle back with
//! the `zip` crate.

use ecs_iam_core::OutputFile;

/// CRC-32 (IEEE 802.3, reflected), bit by bit: the bundles are a few kilobytes.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn u16le(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn u32le(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// Version 2.0, flags: UTF-8 names, stored, timestamp 1980-01-01 00:00 (fixed, so the same
/// files give the same bytes).
fn common(out: &mut Vec<u8>, crc: u32, size: u32, name_len: u16) {
    u16le(out, 20);
    u16le(out, 0x0800);
    u16le(out, 0);
    u16le(out, 0);
    u16le(out, 0x0021);
    u32le(out, crc);
    u32le(out, size);
    u32le(out, size);
    u16le(out, name_len);
    u16le(out, 0);
}

/// A stored zip of the files. Bundles are far below the 4 GiB limits of plain zip.
pub fn zip(files: &[OutputFile]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for f in files {
        let name = f.path.as_bytes();
        let data = f.contents.as_bytes();
        let (crc, size, name_len) = (crc32(data), data.len() as u32, name.len() as u16);
        let offset = out.len() as u32;
        u32le(&mut out, 0x0403_4b50);
        common(&mut out, crc, size, name_len);
        out.extend_from_slice(name);
        out.extend_from_slice(data);

        u32le(&mut central, 0x0201_4b50);
        // Made by Unix (3), so that the permissions below are read.
        u16le(&mut central, (3 << 8) | 20);
        common(&mut central, crc, size, name_len);
        u16le(&mut central, 0); // comment
        u16le(&mut central, 0); // disk
        u16le(&mut central, 0); // internal attributes
        let mode: u32 = if f.executable { 0o100755 } else { 0o100644 };
        u32le(&mut central, mode << 16);
        u32le(&mut central, offset);
        central.extend_from_slice(name);
    }
    let (cd_offset, cd_size, n) = (out.len() as u32, central.len() as u32, files.len() as u16);
    out.extend_from_slice(&central);
    u32le(&mut out, 0x0605_4b50);
    u16le(&mut out, 0);
    u16le(&mut out, 0);
    u16le(&mut out, n);
    u16le(&mut out, n);
    u32le(&mut out, cd_size);
    u32le(&mut out, cd_offset);
    u16le(&mut out, 0);
    out
}

/// The files of the tools module's `renderFiles`: `[{path, contents, executable}]` as JSON text.
pub fn files_of_json(text: &str) -> Result<Vec<OutputFile>, String> {
    use serde_json::Value;
    let value =
        ecs_iam_core::json::parse(text).map_err(|e| ecs_iam_core::ConfigError::from(e).message)?;
    let Value::Array(list) = value else {
        return Err("the tools module did not give a list of files".into());
    };
    list.into_iter()
        .map(|f| {
            let text = |k: &str| f.get(k).and_then(Value::as_str).map(str::to_string);
            match (text("path"), text("contents")) {
                (Some(path), Some(contents)) => Ok(OutputFile {
                    path,
                    contents,
                    executable: f.get("executable") == Some(&Value::Bool(true)),
                }),
                _ => Err("a file without its path or contents".into()),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ecs_iam_core::{gallery, render_files, Format};
    use std::io::{Cursor, Read};

    #[test]
    fn files_read_from_the_tools_json() {
        let files = files_of_json(
            r##"[{"path":"main.tf","contents":"a\n","executable":false},{"path":"run.sh","contents":"#!/bin/sh\n","executable":true}]"##,
        )
        .unwrap();
        assert_eq!(files.len(), 2);
        assert_eq!(
            (files[1].path.as_str(), files[1].executable),
            ("run.sh", true)
        );
        assert_eq!(files[0].contents, "a\n");
        assert!(files_of_json("{}").is_err());
        assert!(files_of_json(r#"[{"path":"x"}]"#).is_err());
        assert!(files_of_json("[").is_err());
    }

    #[test]
    fn crc_of_a_known_string() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn the_zip_crate_reads_back_every_bundle() {
        for p in &gallery().patterns {
            let config = p.parsed();
            for format in Format::ALL.into_iter().filter(|f| f.info().multi_file) {
                let files = render_files(&config, format, &Default::default());
                let bytes = zip(&files);
                assert_eq!(bytes, zip(&files), "deterministic");
                let mut archive = ::zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
                assert_eq!(archive.len(), files.len());
                for f in &files {
                    let mut entry = archive.by_name(&f.path).unwrap();
                    let mut text = String::new();
                    entry.read_to_string(&mut text).unwrap();
                    assert_eq!(text, f.contents, "{} {}", p.id, f.path);
                    let mode = entry.unix_mode().unwrap();
                    assert_eq!(mode & 0o111 != 0, f.executable, "{}", f.path);
                }
            }
        }
    }
}
