/** @odoo-module **/

import { registry } from "@web/core/registry";
import { payByWireTransfer, proceedToPayment } from "@website_wallet/../tests/tours/wallet_tour_utils";

function expectRows(count) {
    return {
        content: `${count} transactions are listed`,
        trigger: ".o_wallet_row",
        run() {
            const rows = document.querySelectorAll(".o_wallet_row").length;
            if (rows !== count) {
                throw new Error(`expected ${count} transaction rows, found ${rows}`);
            }
        },
    };
}

function addMoney(amount) {
    return [
        {
            content: "Open Add Money",
            trigger: "a.o_wallet_add_money",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Type the amount",
            trigger: "input[name='amount']",
            run: `edit ${amount}`,
        },
        proceedToPayment(),
        {
            content: "The payment step shows the amount",
            trigger: `.o_wallet_pay_amount:contains(${amount})`,
        },
    ];
}

registry.category("web_tour.tours").add("website_wallet_topup_demo", {
    url: "/my/wallet",
    steps: () => [
        ...addMoney("50.00"),
        {
            content: "The wallet cannot pay its own top-up",
            trigger: "#o_payment_form:not(:has([data-provider-code='wallet']))",
        },
        {
            content: "Choose the demo provider",
            trigger: "input[name='o_payment_radio'][data-payment-method-code='demo']",
            run: "click",
        },
        {
            content: "Card number",
            trigger: "input[name='customer_input']",
            run: "edit 4242424242424242",
        },
        {
            content: "Pay",
            trigger: "button[name='o_payment_submit_button']",
            run: "click",
        },
        {
            content: "Success, with the wallet reference",
            trigger: ".o_wallet_topup_done .o_wallet_topup_ref:contains(WLT/)",
            timeout: 30000,
        },
        {
            content: "Back to My Wallet",
            trigger: "a.o_wallet_back",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The new balance is shown",
            trigger: ".o_wallet_balance:contains(50.00)",
        },
    ],
});

registry.category("web_tour.tours").add("website_wallet_topup_wire", {
    url: "/my/wallet",
    steps: () => [
        ...addMoney("600.00"),
        ...payByWireTransfer(),
    ],
});

registry.category("web_tour.tours").add("website_wallet_balance_600", {
    url: "/my/wallet",
    steps: () => [
        {
            content: "The confirmed transfer is available",
            trigger: ".o_wallet_balance:contains(600.00)",
        },
        {
            content: "Nothing is pending any more",
            trigger: ".o_wallet_page:not(:has(.o_wallet_pending))",
        },
    ],
});

registry.category("web_tour.tours").add("website_wallet_history_pager", {
    url: "/my/wallet",
    steps: () => [
        expectRows(5),
        {
            content: "Open the full history",
            trigger: "a.o_wallet_history_link",
            run: "click",
            expectUnloadPage: true,
        },
        expectRows(10),
        {
            content: "Go to page 2",
            trigger: ".pagination a[href$='/my/wallet/transactions/page/2']",
            run: "click",
            expectUnloadPage: true,
        },
        expectRows(10),
        {
            content: "Go to page 3",
            trigger: ".pagination a[href$='/my/wallet/transactions/page/3']",
            run: "click",
            expectUnloadPage: true,
        },
        expectRows(5),
    ],
});
