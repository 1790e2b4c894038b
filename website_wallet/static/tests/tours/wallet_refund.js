/** @odoo-module **/

import { registry } from "@web/core/registry";

// An accountant refunds a customer credit note to the customer's wallet.
registry.category("web_tour.tours").add("website_wallet_refund_credit_note", {
    steps: () => [
        {
            content: "Refund the credit note to the wallet",
            trigger: "button[name='action_refund_to_wallet']",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer button.btn-primary",
            run: "click",
        },
        {
            content: "Nothing is left to refund: the button is gone",
            trigger: ".o_form_view .o_form_statusbar:not(:has(button[name='action_refund_to_wallet']))",
        },
    ],
});

// The shopper then finds the refund in the wallet's history.
registry.category("web_tour.tours").add("website_wallet_history_shows_refund", {
    steps: () => [
        {
            content: "The refund is the newest entry, linked to the credit note",
            trigger: ".o_wallet_row:first:contains(Refund of) a[href*='/my/invoices/']",
        },
        {
            content: "It is a credit of 18.00",
            trigger: ".o_wallet_row:first .text-success:contains(18.00)",
        },
    ],
});
