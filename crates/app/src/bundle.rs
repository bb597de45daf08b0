//! The `--out` bundle of a format as one zip file, for the download button: the same files
//! `ecs-iam render --format F --out DIR` writes, scripts marked executable.

use ecs_iam_core::OutputFile;
use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;

/// A stored (uncompressed) zip of the files, with fixed timestamps: the same bytes every time.
pub fn zip(files: &[OutputFile]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for f in files {
        let options = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored)
            .unix_permissions(if f.executable { 0o755 } else { 0o644 });
        w.start_file(f.path.as_str(), options)
            .expect("writing to memory");
        w.write_all(f.contents.as_bytes())
            .expect("writing to memory");
    }
    w.finish().expect("writing to memory").into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ecs_iam_core::{patterns::gallery, render_files, Format};

    #[test]
    fn the_bundle_holds_the_cli_files() {
        let config = gallery().pattern("ecs-exec-task-role").unwrap().parsed();
        let files = render_files(&config, Format::AwsCli, &Default::default());
        let bytes = zip(&files);
        assert_eq!(bytes, zip(&files), "deterministic");
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        assert_eq!(archive.len(), files.len());
        for f in &files {
            let mut entry = archive.by_name(&f.path).unwrap();
            let mut text = String::new();
            std::io::Read::read_to_string(&mut entry, &mut text).unwrap();
            assert_eq!(text, f.contents);
            assert_eq!(
                entry.unix_mode().unwrap() & 0o111 != 0,
                f.executable,
                "{}",
                f.path
            );
        }
    }
}
