"""The notifier: sends 電子保証（認証キー）発行完了のお知らせ when a certificate reached the platform
and the application asked for it (電子保証発行完了のお知らせ: 希望する)."""
