//! What `factdrill sync` says: what came in from each device, what went out, and
//! `--status`, the state of every device file in the folder.

use jiff::tz::TimeZone;

use super::{DIM, WARN, safe};
use crate::error::count;
use crate::sync::{Outcome, Status};

/// The result of one sync, on stdout; warnings on stderr.
pub fn sync_outcome(o: &Outcome) {
    for warning in &o.warnings {
        super::warn(warning);
    }
    let mut lines = Vec::new();
    for file in &o.files {
        let mut parts = Vec::new();
        if file.reviews > 0 {
            parts.push(format!("{} added", count(file.reviews, "review")));
        }
        if file.deletes > 0 {
            parts.push(format!("{} undone", count(file.deletes, "review")));
        }
        if file.marks > 0 {
            parts.push(format!("{} added", count(file.marks, "mark change")));
        }
        if file.waiting {
            parts.push(
                "its last line is incomplete (still being copied?); read next time".to_owned(),
            );
        }
        if !parts.is_empty() {
            lines.push(format!(
                "  {}: {}",
                device_label(&file.device, &file.device_name, &file.name),
                parts.join(", ")
            ));
        }
    }
    let written = if o.written > 0 {
        format!(
            "  wrote {} to {}",
            count(o.written, "event"),
            o.own_file.display()
        )
    } else {
        "  nothing new to write".to_owned()
    };
    println!(
        "Synced as device {}",
        safe(&device_label(&o.device.id, &o.device.name, ""))
    );
    for line in lines {
        println!("{}", safe(&line));
    }
    println!("{}", safe(&written));
}

fn device_label(id: &str, name: &str, file: &str) -> String {
    let mut label = if name.is_empty() {
        id.to_owned()
    } else {
        format!("{name} ({id})")
    };
    if !file.is_empty() && file != crate::sync::file_name(id) {
        label.push_str(&format!(" in {file}"));
    }
    label
}

/// `sync --status`.
pub fn sync_status(s: &Status, tz: &TimeZone) {
    let local = |t: jiff::Timestamp| {
        t.to_zoned_datetime(tz.clone())
            .strftime("%Y-%m-%d %H:%M")
            .to_string()
    };
    println!(
        "This device  {}",
        safe(&device_label(&s.device.id, &s.device.name, ""))
    );
    println!("Sync folder  {}", safe(&s.dir.display().to_string()));
    if let Some(other) = &s.other_dir {
        println!(
            "{WARN}Last synced with another folder, {}: everything here will be read and written anew{WARN:#}",
            safe(other)
        );
    }
    let n = |x: u64| usize::try_from(x).unwrap_or(usize::MAX);
    if s.pending_reviews + s.pending_deletes + s.pending_marks == 0 {
        println!("Not written  nothing: the folder holds everything this database has");
    } else {
        let marks = if s.pending_marks > 0 {
            format!(", {}", count(n(s.pending_marks), "mark change"))
        } else {
            String::new()
        };
        println!(
            "Not written  {}, {}{marks} (run `factdrill sync` to write them)",
            count(n(s.pending_reviews), "review"),
            count(n(s.pending_deletes), "deletion")
        );
    }
    if s.files.is_empty() {
        println!("{DIM}No device files in the folder yet.{DIM:#}");
        return;
    }
    println!();
    for file in &s.files {
        let own = if file.own {
            " (this device's file)"
        } else {
            ""
        };
        println!("{}{own}", safe(&file.name));
        let size = file.size.map_or_else(
            || "gone from the folder".to_owned(),
            |n| format!("{n} bytes"),
        );
        let Some(r) = &file.record else {
            println!("  not read yet ({size})");
            continue;
        };
        println!(
            "  device       {}",
            safe(&device_label(&r.device, &r.device_name, ""))
        );
        let last = r
            .last_event
            .map_or_else(String::new, |t| format!(", the last at {}", local(t)));
        println!(
            "  events       {}{last}",
            usize::try_from(r.events).unwrap_or(usize::MAX)
        );
        println!("  read         {} bytes; the file has {size}", r.read_bytes);
    }
}
