"""The application service: the contractor portal "Net Desk" (保証申込 API) and its read model of issued contracts."""
