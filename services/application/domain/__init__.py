"""Pure domain of the guarantee application (保証申込): form values, validation rules, messages, the submitted event."""
