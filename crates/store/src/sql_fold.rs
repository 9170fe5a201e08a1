//! `herald_fold(text)`: herald-core's segment text folding as a SQL function.
//!
//! Segment filters compare text case-insensitively with full Unicode case
//! folding ("ÖLAF" = "ölaf", "STRASSE" = "straße"). SQLite's own `lower()`
//! and `NOCASE` only know ASCII, so every pooled connection gets this
//! function, which calls [`herald_core::segment::fold`] — the very function
//! the in-memory oracle uses. sqlx has no safe API for user functions, so
//! this is the one module in Herald that calls SQLite's C API directly.
#![allow(unsafe_code)]

use std::os::raw::c_int;
use std::panic::{catch_unwind, AssertUnwindSafe};

use libsqlite3_sys as ffi;
use sqlx::SqliteConnection;

const NAME: &[u8] = b"herald_fold\0";

/// Registers `herald_fold` on one connection.
pub(crate) async fn register(conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    let mut handle = conn.lock_handle().await?;
    let db = handle.as_raw_handle().as_ptr();
    // SAFETY: `db` is this connection's open handle, kept locked (so no
    // other thread uses it) until `handle` drops after the call. The name
    // is a NUL-terminated static string. `fold_sql` has exactly the
    // signature SQLite calls scalar functions with and touches no user data
    // (pApp is null), so no destructor is needed.
    let rc = unsafe {
        ffi::sqlite3_create_function_v2(
            db,
            NAME.as_ptr().cast(),
            1,
            ffi::SQLITE_UTF8 | ffi::SQLITE_DETERMINISTIC | ffi::SQLITE_INNOCUOUS,
            std::ptr::null_mut(),
            Some(fold_sql),
            None,
            None,
            None,
        )
    };
    if rc == ffi::SQLITE_OK {
        Ok(())
    } else {
        Err(sqlx::Error::Protocol(format!(
            "registering the herald_fold SQL function failed with SQLite code {rc}"
        )))
    }
}

/// The function body: NULL stays NULL; anything else is read as text
/// (numbers in their SQL text form), folded and returned as new text.
unsafe extern "C" fn fold_sql(
    ctx: *mut ffi::sqlite3_context,
    argc: c_int,
    argv: *mut *mut ffi::sqlite3_value,
) {
    // SAFETY: SQLite passes `argc` valid values in `argv` for the duration of
    // the call (we registered exactly one argument); `sqlite3_value_text`
    // returns a pointer to `sqlite3_value_bytes` bytes valid until the value
    // is next converted, which happens after we have copied them. The result
    // is handed over with SQLITE_TRANSIENT, so SQLite copies it before
    // `folded` drops.
    unsafe {
        if argc != 1 {
            ffi::sqlite3_result_error(ctx, c"herald_fold takes one argument".as_ptr(), -1);
            return;
        }
        let value = *argv;
        if ffi::sqlite3_value_type(value) == ffi::SQLITE_NULL {
            ffi::sqlite3_result_null(ctx);
            return;
        }
        let ptr = ffi::sqlite3_value_text(value);
        if ptr.is_null() {
            ffi::sqlite3_result_error_nomem(ctx);
            return;
        }
        let len = usize::try_from(ffi::sqlite3_value_bytes(value)).unwrap_or(0);
        let bytes = std::slice::from_raw_parts(ptr, len);
        let folded = catch_unwind(AssertUnwindSafe(|| {
            herald_core::segment::fold(&String::from_utf8_lossy(bytes))
        }));
        match folded {
            Ok(folded) => ffi::sqlite3_result_text64(
                ctx,
                folded.as_ptr().cast(),
                folded.len() as u64,
                ffi::SQLITE_TRANSIENT(),
                ffi::SQLITE_UTF8 as u8,
            ),
            Err(_) => {
                ffi::sqlite3_result_error(ctx, c"herald_fold failed".as_ptr(), -1);
            }
        }
    }
}
