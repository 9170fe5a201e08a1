//! Composing campaign email: personalisation, HTML preparation, MIME.
