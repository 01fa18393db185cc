"""Running the system: installer, migrations for every service, the local runner, the SMTP sink, images."""
