//! SMTP delivery: settings, a pool of TCP_NODELAY connections, test connection.
