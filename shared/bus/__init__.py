"""Broker topology, the broker factory and the dead-lettering consumer wrapper."""
