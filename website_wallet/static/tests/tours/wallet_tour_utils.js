/** @odoo-module **/

// Steps shared by the wallet tours.

export function proceedToPayment() {
    return {
        content: "Proceed to the payment step",
        trigger: "button.o_wallet_proceed",
        run: "click",
        expectUnloadPage: true,
    };
}

export function payByWireTransfer() {
    return [
        {
            content: "Choose wire transfer",
            trigger: "input[name='o_payment_radio'][data-payment-method-code='wire_transfer']",
            run: "click",
        },
        {
            content: "Pay",
            trigger: "button[name='o_payment_submit_button']",
            run: "click",
        },
        {
            content: "The top-up is pending, with the communication to use",
            trigger: ".o_wallet_topup_pending:contains(Communication):contains(once we confirm)",
            timeout: 30000,
        },
    ];
}
