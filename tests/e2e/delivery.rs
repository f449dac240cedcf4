//! Issue 7 (in progress): callback delivery across SIGKILL and restarts, and several processes.
