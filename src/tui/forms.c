/* forms.c: the modal forms of the full-screen app. Not ready yet: each form returns TUI_REDRAW. */
#include "forms.h"

#if __has_include("tui.h")
#include "tui.h"
#else
enum { TUI_REDRAW = 1 }; /* until src/tui/tui.h exists */
#endif

int tuiform_new_referral(tui *t)
{
    (void)t;
    return TUI_REDRAW;
}

int tuiform_add_action(tui *t, int64_t referral_id)
{
    (void)t;
    (void)referral_id;
    return TUI_REDRAW;
}

int tuiform_record_outcome(tui *t, int64_t referral_id)
{
    (void)t;
    (void)referral_id;
    return TUI_REDRAW;
}

int tuiform_close(tui *t, int64_t referral_id)
{
    (void)t;
    (void)referral_id;
    return TUI_REDRAW;
}

int tuiform_edit(tui *t, int64_t referral_id)
{
    (void)t;
    (void)referral_id;
    return TUI_REDRAW;
}

int tuiform_filters(tui *t, browse_filter *f)
{
    (void)t;
    (void)f;
    return TUI_REDRAW;
}
