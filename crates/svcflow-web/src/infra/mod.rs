//! Browser plumbing: storage, clipboard, the URL fragment, downloads, theme, the panic banner.
//! Components call these; nothing here knows about Kubernetes.

pub mod clipboard;
pub mod download;
pub mod embed;
pub mod fragment;
pub mod panic;
pub mod rules;
pub mod storage;
pub mod theme;
pub mod timing;
pub mod yaml;
