# Written by `espbench plot` from the sweep's report.json files; restyle freely, then re-render in
# this folder:  gnuplot latency_vs_macs.gp  (SVG)   or   gnuplot -e "fmt='png'" latency_vs_macs.gp  (PNG)
if (!exists("fmt")) fmt = 'svg'
if (fmt eq 'png') {
  set terminal pngcairo noenhanced size 1100,700 font ',10'
  set output 'latency_vs_macs.png'
} else {
  set terminal svg noenhanced size 1100,700 dynamic font ',10'
  set output 'latency_vs_macs.svg'
}
set title "measured latency vs MACs: frontier (3 configs, 3 finished runs) on AMD EPYC"
set xlabel "MACs per image (conv + linear, at the training resolution), log scale"
set ylabel "latency p50 (ms), 1 thread, batch 1, input 1x1x28x28: mean over seeds, log scale"
set lmargin at screen 0.08
set rmargin at screen 0.62
set bmargin at screen 0.11
set tmargin at screen 0.91
set grid lc rgb '#dddddd'
set logscale x
set xrange [1629497.321:6581062.88]
set xtics ("2M" 2000000, "3M" 3000000, "5M" 5000000)
unset mxtics
set logscale y
set yrange [0.2540213874:3.361529434]
set ytics ("0.3" 0.3, "0.5" 0.5, "1" 1, "2" 2)
unset mytics
set key at screen 0.65,0.91 left top Left reverse samplen 2 spacing 1.2 font ',10'
# config numbers, placed by espbench so that none overlaps another (screen coordinates)
set label "1" at screen 0.13589,0.77357 center font ',9' tc rgb '#0072B2' front
set label "2" at screen 0.58821,0.86088 center font ',9' tc rgb '#0072B2' front
set label "3" at screen 0.31439,0.34041 center font ',9' tc rgb '#D55E00' front
set label "1" at screen 0.13589,0.15912 center font ',9' tc rgb '#0072B2' front
set label "2" at screen 0.58821,0.36334 center font ',9' tc rgb '#0072B2' front
set label "3" at screen 0.31439,0.36573 center font ',9' tc rgb '#D55E00' front
set label 'no.  config' at screen 0.65000,0.78143 left font ',9' front
set label "  1  espnetv2 scale=0.5 lr_base=0.05" at screen 0.65000,0.76143 left font ',9' tc rgb '#0072B2' front
set label "  2  espnetv2 scale=1 lr_base=0.05" at screen 0.65000,0.74143 left font ',9' tc rgb '#0072B2' front
set label "  3  mobilenet_v1 width=0.25 lr_base=0.1" at screen 0.65000,0.72143 left font ',9' tc rgb '#D55E00' front
plot 'latency_vs_macs.dat' index 0 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#0072B2' dt 1 notitle, \
     'latency_vs_macs.dat' index 1 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#D55E00' dt 1 notitle, \
     'latency_vs_macs.dat' index 2 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 9 ps 0.9 lc rgb '#0072B2' dt 1 notitle, \
     'latency_vs_macs.dat' index 3 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 9 ps 0.9 lc rgb '#D55E00' dt 1 notitle, \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#0072B2' dt 1 title "espnetv2 lr_base=0.05", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#D55E00' dt 1 title "mobilenet_v1 lr_base=0.1", \
     NaN with points pt 7 ps 1.1 lc rgb '#444444' title "plain LibTorch", \
     NaN with points pt 9 ps 1.1 lc rgb '#444444' title "--fast"
