"""The wallet's permission strings ("app_label.codename"), named once for views, menus and roles."""

VIEW_WALLETS = "wallet.view_wallet"
VIEW_LEDGER = "wallet.view_wallettransaction"
ISSUE_REFUND = "wallet.issue_refund"
