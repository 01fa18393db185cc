"""The platform (保証確認サービス, like D-Sure): receives issued certificates, records their arrival
(電子保証発行日時) and lets orderer staff open them with 保証契約番号 + 認証キー.

Always imported as `services.platform`: a top-level `platform` would shadow the standard library.
"""
