"""18.0.1.1.0: the peer rate and the chain fund rate are shares (0.10 for 10%), shown as percentages."""


def migrate(cr, version):
    cr.execute("UPDATE points_chain_program SET peer_rate = peer_rate / 100, fund_rate = fund_rate / 100")
