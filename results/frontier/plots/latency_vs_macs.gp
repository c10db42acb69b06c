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
set title "measured latency vs MACs: frontier (15 configs, 45 finished runs) on AMD EPYC"
set xlabel "MACs per image (conv + linear, at the training resolution), log scale"
set ylabel "latency p50 (ms), 1 thread, batch 1, input 1x1x28x28: mean over seeds, log scale"
set lmargin at screen 0.08
set rmargin at screen 0.62
set bmargin at screen 0.11
set tmargin at screen 0.91
set grid lc rgb '#dddddd'
set logscale x
set xrange [1524262.676:28628315.43]
set xtics ("2M" 2000000, "5M" 5000000, "10M" 10000000, "20M" 20000000)
unset mxtics
set logscale y
set yrange [0.2375903061:7.093200765]
set ytics ("0.3" 0.3, "0.5" 0.5, "1" 1, "2" 2, "5" 5)
unset mytics
set key at screen 0.65,0.91 left top Left reverse samplen 2 spacing 1.2 font ',10'
# config numbers, placed by espbench so that none overlaps another (screen coordinates)
set label "1" at screen 0.12520,0.59796 center font ',9' tc rgb '#0072B2' front
set label "2" at screen 0.34049,0.63404 center font ',9' tc rgb '#0072B2' front
set label "3" at screen 0.47433,0.76048 center font ',9' tc rgb '#0072B2' front
set label "4" at screen 0.21016,0.32094 center font ',9' tc rgb '#D55E00' front
set label "5" at screen 0.45367,0.42505 center font ',9' tc rgb '#D55E00' front
set label "6" at screen 0.59889,0.61122 center font ',9' tc rgb '#D55E00' front
set label "7" at screen 0.26773,0.43702 center font ',9' tc rgb '#009E73' front
set label "8" at screen 0.36665,0.49324 center font ',9' tc rgb '#009E73' front
set label "9" at screen 0.50944,0.58398 center font ',9' tc rgb '#009E73' front
set label "10" at screen 0.18845,0.50914 center font ',9' tc rgb '#CC79A7' front
set label "11" at screen 0.43947,0.56978 center font ',9' tc rgb '#CC79A7' front
set label "12" at screen 0.57947,0.67276 center font ',9' tc rgb '#CC79A7' front
set label "13" at screen 0.16615,0.44800 center font ',9' tc rgb '#E69F00' front
set label "14" at screen 0.45151,0.52986 center font ',9' tc rgb '#E69F00' front
set label "15" at screen 0.56135,0.60939 center font ',9' tc rgb '#E69F00' front
set label "1" at screen 0.12520,0.16048 center font ',9' tc rgb '#0072B2' front
set label "2" at screen 0.34049,0.34723 center font ',9' tc rgb '#0072B2' front
set label "3" at screen 0.47433,0.46394 center font ',9' tc rgb '#0072B2' front
set label "4" at screen 0.21016,0.37907 center font ',9' tc rgb '#D55E00' front
set label "5" at screen 0.42957,0.42049 center font ',9' tc rgb '#D55E00' front
set label "6" at screen 0.59889,0.63708 center font ',9' tc rgb '#D55E00' front
set label "7" at screen 0.24364,0.44296 center font ',9' tc rgb '#009E73' front
set label "8" at screen 0.34256,0.47699 center font ',9' tc rgb '#009E73' front
set label "9" at screen 0.50944,0.55711 center font ',9' tc rgb '#009E73' front
set label "10" at screen 0.15845,0.51970 center font ',9' tc rgb '#CC79A7' front
set label "11" at screen 0.40947,0.58965 center font ',9' tc rgb '#CC79A7' front
set label "12" at screen 0.54947,0.67840 center font ',9' tc rgb '#CC79A7' front
set label "13" at screen 0.15973,0.49175 center font ',9' tc rgb '#E69F00' front
set arrow from screen 0.18115,0.47891 to screen 0.16746,0.48247 nohead lw 0.8 lc rgb '#888888' back
set label "14" at screen 0.42151,0.52528 center font ',9' tc rgb '#E69F00' front
set label "15" at screen 0.57635,0.65066 center font ',9' tc rgb '#E69F00' front
set label 'no.  config' at screen 0.65000,0.70857 left font ',9' front
set label "  1  espnetv2 scale=0.5" at screen 0.65000,0.68857 left font ',9' tc rgb '#0072B2' front
set label "  2  espnetv2 scale=1" at screen 0.65000,0.66857 left font ',9' tc rgb '#0072B2' front
set label "  3  espnetv2 scale=1.5" at screen 0.65000,0.64857 left font ',9' tc rgb '#0072B2' front
set label "  4  mobilenet_v1 width=0.25" at screen 0.65000,0.62857 left font ',9' tc rgb '#D55E00' front
set label "  5  mobilenet_v1 width=0.5" at screen 0.65000,0.60857 left font ',9' tc rgb '#D55E00' front
set label "  6  mobilenet_v1 width=0.75" at screen 0.65000,0.58857 left font ',9' tc rgb '#D55E00' front
set label "  7  mobilenet_v2 width=0.35" at screen 0.65000,0.56857 left font ',9' tc rgb '#009E73' front
set label "  8  mobilenet_v2 width=0.5" at screen 0.65000,0.54857 left font ',9' tc rgb '#009E73' front
set label "  9  mobilenet_v2 width=0.75" at screen 0.65000,0.52857 left font ',9' tc rgb '#009E73' front
set label " 10  shufflenet_v1 width=0.5" at screen 0.65000,0.50857 left font ',9' tc rgb '#CC79A7' front
set label " 11  shufflenet_v1 width=1" at screen 0.65000,0.48857 left font ',9' tc rgb '#CC79A7' front
set label " 12  shufflenet_v1 width=1.5" at screen 0.65000,0.46857 left font ',9' tc rgb '#CC79A7' front
set label " 13  shufflenet_v2 width=0.5" at screen 0.65000,0.44857 left font ',9' tc rgb '#E69F00' front
set label " 14  shufflenet_v2 width=1" at screen 0.65000,0.42857 left font ',9' tc rgb '#E69F00' front
set label " 15  shufflenet_v2 width=1.5" at screen 0.65000,0.40857 left font ',9' tc rgb '#E69F00' front
plot 'latency_vs_macs.dat' index 0 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#0072B2' dt 1 notitle, \
     'latency_vs_macs.dat' index 1 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#D55E00' dt 1 notitle, \
     'latency_vs_macs.dat' index 2 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#009E73' dt 1 notitle, \
     'latency_vs_macs.dat' index 3 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#CC79A7' dt 1 notitle, \
     'latency_vs_macs.dat' index 4 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#E69F00' dt 1 notitle, \
     'latency_vs_macs.dat' index 5 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 9 ps 0.9 lc rgb '#0072B2' dt 1 notitle, \
     'latency_vs_macs.dat' index 6 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 9 ps 0.9 lc rgb '#D55E00' dt 1 notitle, \
     'latency_vs_macs.dat' index 7 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 9 ps 0.9 lc rgb '#009E73' dt 1 notitle, \
     'latency_vs_macs.dat' index 8 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 9 ps 0.9 lc rgb '#CC79A7' dt 1 notitle, \
     'latency_vs_macs.dat' index 9 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 9 ps 0.9 lc rgb '#E69F00' dt 1 notitle, \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#0072B2' dt 1 title "espnetv2", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#D55E00' dt 1 title "mobilenet_v1", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#009E73' dt 1 title "mobilenet_v2", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#CC79A7' dt 1 title "shufflenet_v1", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#E69F00' dt 1 title "shufflenet_v2", \
     NaN with points pt 7 ps 1.1 lc rgb '#444444' title "plain LibTorch", \
     NaN with points pt 9 ps 1.1 lc rgb '#444444' title "--fast"
