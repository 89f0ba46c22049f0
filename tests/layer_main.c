/* layer_main: the program each layer's library is linked whole into (tests/meson.build), with only
 * the libraries its layer may use, so that the build fails when a layer calls what it must not.
 * It is never run. */
int main(void)
{
    return 0;
}
