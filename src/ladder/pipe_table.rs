//! Matrix ladders written as GitHub pipe tables.
