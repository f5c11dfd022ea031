fn main(){ unfold_host::_warm(); }
