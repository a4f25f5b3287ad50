//! One component per file.

pub mod diagram;
pub mod dns;
pub mod editor;
pub mod endpoints;
pub mod explain;
pub mod fold;
pub mod inspector;
pub mod iptables;
pub mod outline;
pub mod problems;
pub mod status_bar;
pub mod toolbar;
