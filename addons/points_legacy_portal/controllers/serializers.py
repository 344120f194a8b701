"""What a legacy member reads of their former platform's balance (the wallet card of every points page)."""


def legacy(line):
    """A member's legacy report line as the portal shows it, or None without one."""
    if not line:
        return None
    return {"payable": line.payable, "balance": line.balance, "spent": line.spent,
            "released_points": line.released_points, "released_value": line.released_value,
            "remaining": line.remaining, "covered": line.covered}
