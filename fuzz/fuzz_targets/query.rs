//! Any string as a query: parsing gives an expression or an error whose position lies inside
//! the query, and an expression prints back to a string that parses to the same expression.
#![no_main]

use dossier::error::Error;
use dossier::query::Expr;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    match text.parse::<Expr>() {
        Ok(expr) => {
            let shown = expr.to_string();
            let again: Expr = shown
                .parse()
                .unwrap_or_else(|e| panic!("{text:?} printed as {shown:?}, which fails: {e}"));
            assert_eq!(expr, again, "{text:?} printed as {shown:?}");
        }
        Err(Error::Query { pos, .. }) => assert!(pos <= text.len(), "{pos} in {text:?}"),
        Err(other) => panic!("{text:?}: unexpected error kind {other:?}"),
    }
});
